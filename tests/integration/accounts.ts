import type { Actor } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/engine/connection";
import { createFirstAdmin, createUser } from "@/lib/db/users";
import { createUserSchema } from "@/lib/validation/users";

/** Accounts for integration tests: created through the account functions (with passwords), or as bare user rows. */
const PASSWORD = "correct-horse-battery";

/** The installation's first admin, created the way first-run setup creates it, as an Actor. */
export async function firstAdmin(db: Database): Promise<Actor> {
  const created = await createFirstAdmin(db, { email: "admin@example.org", name: "Admin", password: PASSWORD, confirmPassword: PASSWORD });
  return { id: created.id, role: "ADMIN", canAdjudicate: true };
}

/** An annotator's account, added by the admin through the users page's function. */
export async function annotatorAccount(db: Database, admin: Actor): Promise<Actor> {
  const user = await createUser(db, admin, createUserSchema.parse({ email: "ann@example.org", name: "Ann", password: PASSWORD, role: "ANNOTATOR" }));
  return { id: user.id, role: "ANNOTATOR", canAdjudicate: false };
}

/** A user row with this access (no password: it never signs in), named after its email, as an Actor. */
export async function userRow(db: Database, email: string, role: "ADMIN" | "ANNOTATOR", canAdjudicate: boolean): Promise<Actor> {
  const user = await db.prisma.user.create({ data: { email, name: email.split("@")[0]!, role, canAdjudicate } });
  return { id: user.id, role, canAdjudicate };
}

/** The literature tests' people: an admin, ada (annotator) and grace (annotator who may adjudicate). */
export async function codingTeam(db: Database): Promise<{ admin: Actor; ada: Actor; grace: Actor }> {
  return {
    admin: await userRow(db, "admin@example.org", "ADMIN", true),
    ada: await userRow(db, "ada@example.org", "ANNOTATOR", false),
    grace: await userRow(db, "grace@example.org", "ANNOTATOR", true),
  };
}

/** A new installation as the experiments tests need it: its first admin, an annotator's account and one study. */
export async function adminAnnotatorAndStudy(db: Database, study: { slug: string; name: string }) {
  const admin = await firstAdmin(db);
  const studyId = (await db.prisma.study.create({ data: study })).id;
  return { admin, annotator: await annotatorAccount(db, admin), studyId };
}
