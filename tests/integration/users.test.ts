import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { listAuditEntries } from "@/lib/db/audit";
import { SIGN_IN_LIMITS, verifySignIn } from "@/lib/db/sign-in";
import { createFirstAdmin, createUser, findSessionUser, hasActiveAdmin, listUsers, setUserActive, updateUserAccess } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { createUserSchema } from "@/lib/validation/users";
import { freshDatabase, MODES } from "./database-modes";

process.env.VARSTUDY_BCRYPT_COST = "4";
const PASSWORD = "correct-horse-battery";

describe.each(MODES)("users and sign-in (%s)", (mode) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let admin: Actor;
  let annotator: Actor & { email: string };

  beforeAll(async () => {
    db = await freshDatabase(mode);
    expect(await hasActiveAdmin(db)).toBe(false);
    const created = await createFirstAdmin(db, { email: "first@example.org", name: "First", password: PASSWORD, confirmPassword: PASSWORD });
    admin = { id: created.id, role: "ADMIN", canAdjudicate: true };
    const user = await createUser(db, admin, createUserSchema.parse({ email: "Ann@Example.org ", name: "Ann", password: PASSWORD, role: "ANNOTATOR" }));
    annotator = { id: user.id, role: "ANNOTATOR", canAdjudicate: false, email: user.email };
  });
  afterAll(async () => db.drop());

  it("allow first-run setup only while no admin exists", async () => {
    expect(await hasActiveAdmin(db)).toBe(true);
    const second = createFirstAdmin(db, { email: "second@example.org", name: "Second", password: PASSWORD, confirmPassword: PASSWORD });
    await expect(second).rejects.toThrow(AppError);
    expect(await db.prisma.user.count({ where: { email: "second@example.org" } })).toBe(0);
  });

  it("normalise emails and refuse a duplicate account with a clear message", async () => {
    expect(annotator.email).toBe("ann@example.org");
    const again = createUser(db, admin, createUserSchema.parse({ email: "ANN@example.org", name: "Ann 2", password: PASSWORD, role: "ANNOTATOR" }));
    await expect(again).rejects.toThrow("An account with the email ann@example.org already exists.");
  });

  it("refuse user management to an annotator in the data layer itself", async () => {
    await expect(listUsers(db, annotator)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      createUser(db, annotator, createUserSchema.parse({ email: "x@example.org", name: "X", password: PASSWORD, role: "ADMIN" })),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(updateUserAccess(db, annotator, { userId: annotator.id, role: "ADMIN", canAdjudicate: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setUserActive(db, annotator, { userId: admin.id, isActive: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listAuditEntries(db, annotator)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: annotator.id } });
    expect(stored.role).toBe("ANNOTATOR");
  });

  it("end a user's sessions when access changes or the account is deactivated", async () => {
    const before = await db.prisma.user.findUniqueOrThrow({ where: { id: annotator.id } });
    expect(await findSessionUser(db, annotator.id, before.sessionVersion)).not.toBeNull();

    await updateUserAccess(db, admin, { userId: annotator.id, role: "ANNOTATOR", canAdjudicate: true });
    expect(await findSessionUser(db, annotator.id, before.sessionVersion)).toBeNull();
    const promoted = await db.prisma.user.findUniqueOrThrow({ where: { id: annotator.id } });
    expect((await findSessionUser(db, annotator.id, promoted.sessionVersion))?.canAdjudicate).toBe(true);

    await setUserActive(db, admin, { userId: annotator.id, isActive: false });
    const deactivated = await db.prisma.user.findUniqueOrThrow({ where: { id: annotator.id } });
    expect(await findSessionUser(db, annotator.id, deactivated.sessionVersion)).toBeNull();
    expect((await verifySignIn(db, { email: "ann@example.org", password: PASSWORD, address: "10.0.0.1" })).ok).toBe(false);

    await setUserActive(db, admin, { userId: annotator.id, isActive: true });
    expect((await verifySignIn(db, { email: "ann@example.org", password: PASSWORD, address: "10.0.0.1" })).ok).toBe(true);
  });

  it("keep at least one active administrator and refuse self-deactivation", async () => {
    await expect(updateUserAccess(db, admin, { userId: admin.id, role: "ANNOTATOR", canAdjudicate: false })).rejects.toThrow(/last active administrator/);
    await expect(setUserActive(db, admin, { userId: admin.id, isActive: false })).rejects.toThrow(/your own account/);
  });

  it("write an audit entry for every admin action", async () => {
    const actions = (await listAuditEntries(db, admin)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["setup.first-admin", "user.create", "user.update-access", "user.deactivate", "user.reactivate"]));
  });

  it("rate-limit failed sign-ins per account and per address", async () => {
    const now = new Date();
    await createUser(db, admin, createUserSchema.parse({ email: "limited@example.org", name: "L", password: PASSWORD, role: "ANNOTATOR" }));
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      expect(await verifySignIn(db, { email: "limited@example.org", password: "wrong", address: `10.1.0.${i}` }, now)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await verifySignIn(db, { email: "limited@example.org", password: PASSWORD, address: "10.1.1.1" }, now)).toEqual({ ok: false, reason: "rate-limited" });
    const later = new Date(now.getTime() + (SIGN_IN_LIMITS.windowMinutes + 1) * 60_000);
    expect((await verifySignIn(db, { email: "limited@example.org", password: PASSWORD, address: "10.1.1.1" }, later)).ok).toBe(true);

    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      await verifySignIn(db, { email: `nobody${i}@example.org`, password: "wrong", address: "10.9.9.9" }, later);
    }
    expect(await verifySignIn(db, { email: "first@example.org", password: PASSWORD, address: "10.9.9.9" }, later)).toEqual({ ok: false, reason: "rate-limited" });
    expect((await verifySignIn(db, { email: "first@example.org", password: PASSWORD, address: "10.9.9.8" }, later)).ok).toBe(true);
  });
});
