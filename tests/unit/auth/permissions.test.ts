import { describe, expect, it } from "vitest";
import { assertCan, can, PERMISSIONS, type Actor, type Permission } from "@/lib/auth/permissions";
import { navigationFor } from "@/lib/auth/navigation";
import { safeReturnPath } from "@/lib/auth/return-path";

const admin: Actor = { id: "a", role: "ADMIN", canAdjudicate: false };
const annotator: Actor = { id: "b", role: "ANNOTATOR", canAdjudicate: false };
const adjudicator: Actor = { id: "c", role: "ANNOTATOR", canAdjudicate: true };

describe("permission table", () => {
  it("gives admins every permission", () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(can(admin, permission)).toBe(true);
  });

  it("gives annotators coding only", () => {
    const granted = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(annotator, p));
    expect(granted).toEqual(["coding.code"]);
    expect(() => assertCan(annotator, "users.manage")).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });

  it("adds adjudication, and nothing else, to an annotator with the adjudicator permission", () => {
    const granted = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(adjudicator, p));
    expect(granted.sort()).toEqual(["coding.adjudicate", "coding.code"]);
  });

  it("shows each role only the places it may enter", () => {
    expect(navigationFor(annotator).map((i) => i.href)).toEqual(["/code"]);
    expect(navigationFor(adjudicator).map((i) => i.href)).toEqual(["/code", "/code/adjudicate"]);
    expect(navigationFor(admin).map((i) => i.href)).toEqual([
      "/admin",
      "/admin/studies",
      "/admin/questionnaires",
      "/admin/literature",
      "/admin/experiments",
      "/code",
      "/code/adjudicate",
      "/admin/users",
      "/admin/audit",
      "/admin/backup",
    ]);
  });
});

describe("safeReturnPath", () => {
  it("keeps same-site paths and drops other sites", () => {
    expect(safeReturnPath("/admin/users?x=1")).toBe("/admin/users?x=1");
    expect(safeReturnPath("https://evil.example/")).toBe("/");
    expect(safeReturnPath("//evil.example/path")).toBe("/");
    expect(safeReturnPath(undefined, "/code")).toBe("/code");
  });
});
