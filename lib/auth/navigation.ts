import { can, type Actor } from "./permissions";

/** The main navigation a user sees: only places they may enter. */
export function navigationFor(actor: Actor): Array<{ href: string; label: string }> {
  const items: Array<{ href: string; label: string }> = [];
  if (can(actor, "surveys.read-results")) items.push({ href: "/admin", label: "Dashboard" });
  if (can(actor, "studies.manage")) items.push({ href: "/admin/studies", label: "Studies" });
  if (can(actor, "surveys.manage")) items.push({ href: "/admin/questionnaires", label: "Questionnaires" });
  if (can(actor, "papers.manage")) items.push({ href: "/admin/literature", label: "Literature" });
  if (can(actor, "experiments.read")) items.push({ href: "/admin/experiments", label: "Experiments" });
  if (can(actor, "coding.code")) items.push({ href: "/code", label: "Coding" });
  if (can(actor, "coding.adjudicate")) items.push({ href: "/code/adjudicate", label: "Adjudication" });
  if (can(actor, "users.manage")) items.push({ href: "/admin/users", label: "Users" });
  if (can(actor, "audit.read")) items.push({ href: "/admin/audit", label: "Audit log" });
  if (can(actor, "data.backup")) items.push({ href: "/admin/backup", label: "Backup" });
  return items;
}
