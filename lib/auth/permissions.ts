/**
 * Who may do what. Pure: no I/O. Every lib/db function checks the acting user against this table; pages and
 * layouts check too, but never alone.
 */
import { AppError } from "@/lib/errors";

export type Role = "ADMIN" | "ANNOTATOR";

/** The acting user as the data layer sees it. */
export type Actor = { id: string; role: Role; canAdjudicate: boolean };

const ADMIN: readonly Role[] = ["ADMIN"];
const EVERY_ROLE: readonly Role[] = ["ADMIN", "ANNOTATOR"];

export const PERMISSIONS = {
  "users.manage": ADMIN,
  "audit.read": ADMIN,
  "data.backup": ADMIN,
  /** Create, rename and archive studies; move an instrument from one study to another. */
  "studies.manage": ADMIN,
  "surveys.manage": ADMIN,
  "surveys.read-results": ADMIN,
  "papers.manage": ADMIN,
  "coding.code": EVERY_ROLE,
  "coding.read-all": ADMIN,
  "experiments.manage": ADMIN,
  "experiments.read": ADMIN,
  /** Held by admins and by anyone given the adjudicator permission. */
  "coding.adjudicate": ADMIN,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Permissions granted by the adjudicator flag, whatever the role. */
const ADJUDICATOR_PERMISSIONS: ReadonlySet<Permission> = new Set(["coding.adjudicate"]);

export function can(actor: Actor, permission: Permission): boolean {
  if ((PERMISSIONS[permission] as readonly Role[]).includes(actor.role)) return true;
  return actor.canAdjudicate && ADJUDICATOR_PERMISSIONS.has(permission);
}

/** Throws AppError FORBIDDEN unless the actor holds the permission: one error vocabulary for every refusal. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new AppError("FORBIDDEN", "You do not have permission to do this.");
}
