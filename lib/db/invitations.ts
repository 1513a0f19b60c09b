/**
 * Invitation lists: the admin uploads addresses or identifiers (one per line, or a CSV whose first column, or
 * column named email/id/identifier, holds them) and gets single-use links /s/<slug>?t=<token>. No e-mail is
 * sent: the admin downloads the links as CSV and distributes them. Tokens are derived from the invitation id
 * with the server secret, so the database keeps only their digest and the links can be downloaded again.
 */
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { hashToken, invitationToken } from "./survey-tokens";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { readCsv, writeCsv } from "@/lib/io/csv";

/** At most this many invitations per list (a larger study uploads several lists). */
export const MAX_INVITATIONS = 20_000;

/**
 * Reads invitee labels from pasted or uploaded text.
 * @returns unique labels in file order, or problems with their line numbers.
 */
export function parseInviteeLabels(text: string): { ok: true; labels: string[]; duplicates: number } | { ok: false; errors: string[] } {
  const rows = readCsv(text, { delimiter: "detect", skipEmptyLines: true }).records.map((row, index) => ({ line: index + 1, cells: row.map((cell) => cell.trim()) }));
  if (rows.length === 0) return { ok: false, errors: ["The list is empty: give one address or identifier per line."] };
  const header = rows[0]!.cells.map((cell) => cell.toLowerCase());
  let column = header.findIndex((cell) => ["email", "e-mail", "address", "id", "identifier", "label"].includes(cell));
  const hasHeader = column >= 0;
  if (!hasHeader) column = 0;
  const errors: string[] = [];
  const seen = new Set<string>();
  const labels: string[] = [];
  let duplicates = 0;
  for (const { line, cells } of rows.slice(hasHeader ? 1 : 0)) {
    const label = cells[column] ?? "";
    if (label === "") errors.push(`Line ${line}: no address or identifier in column ${column + 1}.`);
    else if (label.length > 320) errors.push(`Line ${line}: "${label.slice(0, 40)}…" is longer than 320 characters.`);
    else if (seen.has(label.toLowerCase())) duplicates += 1;
    else {
      seen.add(label.toLowerCase());
      labels.push(label);
    }
  }
  if (labels.length > MAX_INVITATIONS) errors.push(`The list has ${labels.length} entries; at most ${MAX_INVITATIONS} fit in one list.`);
  if (labels.length === 0 && errors.length === 0) errors.push("The list has a header row but no addresses or identifiers.");
  return errors.length > 0 ? { ok: false, errors: errors.slice(0, 50) } : { ok: true, labels, duplicates };
}

/** Creates a list of single-use invitations. Duplicate labels in the text are merged (counted in the result). */
export async function createInvitationList(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; name: string; text: string; secret: string },
): Promise<{ listId: string; created: number; duplicates: number }> {
  assertCan(actor, "surveys.manage");
  const name = input.name.trim();
  if (!name) throw new AppError("INVALID_INPUT", "Give the list a name, e.g. “GitHub committers, batch 1”.");
  const parsed = parseInviteeLabels(input.text);
  if (!parsed.ok) throw new AppError("INVALID_INPUT", parsed.errors.join(" "));
  return db.prisma.$transaction(
    async (tx) => {
      const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId } });
      if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
      const list = await tx.invitationList.create({ data: { questionnaireId: questionnaire.id, name: name.slice(0, 200) } });
      const rows = parsed.labels.map((label) => {
        const id = `inv_${crypto.randomUUID()}`;
        return { id, listId: list.id, label, tokenHash: hashToken(invitationToken(input.secret, id)) };
      });
      for (let start = 0; start < rows.length; start += 5000) await tx.invitation.createMany({ data: rows.slice(start, start + 5000) });
      await recordAudit(tx, actor, "invitations.create", questionnaire.slug, { list: list.name, invitations: rows.length });
      return { listId: list.id, created: rows.length, duplicates: parsed.duplicates };
    },
    { timeout: 60_000 },
  );
}

/**
 * The links of a list as CSV (label, link, status), formula-neutralised, for mail merge.
 * @param input.baseUrl the site's origin, e.g. https://study.example.org
 */
export async function invitationLinksCsv(db: Database, actor: Actor, input: { listId: string; secret: string; baseUrl: string }): Promise<{ fileName: string; csv: string }> {
  assertCan(actor, "surveys.manage");
  const list = await db.prisma.invitationList.findUnique({
    where: { id: input.listId },
    include: { questionnaire: { select: { slug: true } }, invitations: { orderBy: { createdAt: "asc" }, include: { response: { select: { status: true } } } } },
  });
  if (!list) throw new AppError("NOT_FOUND", "That invitation list does not exist.");
  const base = input.baseUrl.replace(/\/$/, "");
  const rows = list.invitations.map((invitation) => [
    invitation.label,
    `${base}/s/${list.questionnaire.slug}?t=${invitationToken(input.secret, invitation.id)}`,
    invitation.response ? (invitation.response.status === "COMPLETED" ? "completed" : "started") : "not used",
  ]);
  const csv = writeCsv([["label", "link", "status"], ...rows]);
  const safeName = list.name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-|-$/g, "") || "invitations";
  return { fileName: `${list.questionnaire.slug}-${safeName}.csv`, csv };
}
