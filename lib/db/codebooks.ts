/**
 * Studies as the literature survey sees them, and their codebooks. A codebook is versioned data (like a
 * questionnaire): each (slug, version) row is frozen, the study points at the version it codes with, and
 * codings record the version they answered. The shipped reference codebook and population definition
 * (data/codebooks) are installed on first use so a new study can start coding without writing YAML.
 */
import fs from "node:fs";
import path from "node:path";
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { parseCodebook, type Codebook } from "@/lib/coding/codebook";
import { diffCodebooks } from "@/lib/coding/codebook-versions";
import { parsePopulationDefinition, type PopulationDefinition } from "@/lib/coding/population";
import type { DefinitionFileError } from "@/lib/io/definition-file";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export const SHIPPED_CODEBOOK_FILE = "data/codebooks/pham2020.yaml";
export const SHIPPED_POPULATION_FILE = "data/codebooks/pham2020-strata.yaml";

/** Reads a file shipped under data/ (relative to the project root, which is the working directory of the app and scripts). */
function readShipped(relativePath: string): string {
  return fs.readFileSync(path.join(process.cwd(), relativePath), "utf8");
}

/** The shipped population definition's source text, the default for a study without one. */
export function shippedPopulationSource(): string {
  return readShipped(SHIPPED_POPULATION_FILE);
}

export type LiteratureStudy = { id: string; slug: string; name: string; codebookId: string | null; populationSource: string | null };

type StudyRow = { id: string; slug: string; name: string; codebookId: string | null; strataConfig: Prisma.JsonValue };

/** The population definition's source text stored in Study.strataConfig (null: the shipped default applies). */
export function populationSourceOf(strataConfig: unknown): string | null {
  const config = strataConfig as { source?: unknown } | null;
  return typeof config?.source === "string" ? config.source : null;
}

export function toLiteratureStudy(row: StudyRow): LiteratureStudy {
  return { id: row.id, slug: row.slug, name: row.name, codebookId: row.codebookId, populationSource: populationSourceOf(row.strataConfig) };
}

const STUDY_SELECT = { id: true, slug: true, name: true, codebookId: true, strataConfig: true } as const;

/**
 * The studies an admin can run a literature survey in, oldest first.
 * @throws AppError FORBIDDEN without papers.manage.
 */
export async function listLiteratureStudies(db: Database, actor: Actor): Promise<LiteratureStudy[]> {
  assertCan(actor, "papers.manage");
  return (await db.prisma.study.findMany({ select: STUDY_SELECT, orderBy: { createdAt: "asc" } })).map(toLiteratureStudy);
}

/**
 * One study by slug, or the oldest study when no slug is given (most installations have one).
 * @returns null when there is no study at all (the page then offers to create one).
 * @throws AppError NOT_FOUND for an unknown slug; AppError FORBIDDEN without papers.manage.
 */
export async function findLiteratureStudy(db: Database, actor: Actor, slug?: string | null): Promise<LiteratureStudy | null> {
  assertCan(actor, "papers.manage");
  if (slug) {
    const row = await db.prisma.study.findUnique({ where: { slug }, select: STUDY_SELECT });
    if (!row) throw new AppError("NOT_FOUND", `There is no study "${slug}".`);
    return toLiteratureStudy(row);
  }
  const row = await db.prisma.study.findFirst({ select: STUDY_SELECT, orderBy: { createdAt: "asc" } });
  return row ? toLiteratureStudy(row) : null;
}

const codebookCache = new Map<string, Codebook>();

/**
 * Parses a stored codebook row. Rows are frozen once written, so the parse is cached by id.
 * @throws Error when a stored codebook no longer validates (only possible after a schema change in code).
 */
export function parseStoredCodebook(row: { id: string; sourceText: string }): Codebook {
  const cached = codebookCache.get(row.id);
  if (cached) return cached;
  const parsed = parseCodebook(row.sourceText);
  if (!parsed.ok) throw new Error(`stored codebook ${row.id} does not validate: ${parsed.errors.map((error) => error.message).join("; ")}`);
  codebookCache.set(row.id, parsed.value);
  return parsed.value;
}

type CodebookWriter = Pick<Database["prisma"], "codebook" | "study">;

/** Stores a codebook version unless the same (slug, version) exists; returns the row id. Refuses a changed text under an existing version. */
async function storeCodebookVersion(tx: CodebookWriter, codebook: Codebook, sourceText: string): Promise<string> {
  const existing = await tx.codebook.findUnique({ where: { slug_version: { slug: codebook.id, version: codebook.version } } });
  if (existing) {
    const stored = parseStoredCodebook(existing);
    const diff = diffCodebooks(stored, codebook);
    if (diff.changes.length > 0) {
      throw new AppError(
        "CONFLICT",
        `Codebook ${codebook.id} version ${codebook.version} exists already with different questions (${diff.changes.map((change) => `${change.questionId} ${change.kind}`).join(", ")}). Raise the version number.`,
      );
    }
    return existing.id;
  }
  const latest = await tx.codebook.findFirst({ where: { slug: codebook.id }, orderBy: { version: "desc" } });
  if (latest) {
    const diff = diffCodebooks(parseStoredCodebook(latest), codebook);
    if (diff.versionProblem) throw new AppError("CONFLICT", diff.versionProblem);
  }
  const row = await tx.codebook.create({ data: { slug: codebook.id, version: codebook.version, definition: codebook as unknown as Prisma.InputJsonValue, sourceText } });
  return row.id;
}

/**
 * The codebook a study codes with. A study without one gets the shipped reference codebook
 * (data/codebooks/pham2020.yaml) attached, so the first visit needs no setup.
 * @returns the codebook and its row id.
 */
export async function getStudyCodebook(db: Database, studyId: string): Promise<{ id: string; codebook: Codebook; sourceText: string }> {
  const study = await db.prisma.study.findUnique({ where: { id: studyId }, select: { codebook: { select: { id: true, sourceText: true } } } });
  if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
  if (study.codebook) return { id: study.codebook.id, codebook: parseStoredCodebook(study.codebook), sourceText: study.codebook.sourceText };
  const source = readShipped(SHIPPED_CODEBOOK_FILE);
  const parsed = parseCodebook(source);
  if (!parsed.ok) throw new Error(`the shipped codebook ${SHIPPED_CODEBOOK_FILE} does not validate`);
  const id = await db.prisma.$transaction(async (tx) => {
    const codebookId = await storeCodebookVersion(tx, parsed.value, source);
    await tx.study.update({ where: { id: studyId }, data: { codebookId } });
    return codebookId;
  });
  return { id, codebook: parsed.value, sourceText: source };
}

export type CodebookInstallResult = { ok: true; codebook: Codebook; outdatedQuestionIds: string[] } | { ok: false; errors: DefinitionFileError[] };

/**
 * Installs a codebook (YAML or JSON text) as the study's current version. Codings already made keep the
 * version they answered; questions whose meaning changed are reported so the admin can ask for re-coding.
 * @returns validation errors with line and column, and nothing written, when the text is invalid.
 * @throws AppError CONFLICT when the version number was not raised for a changed codebook.
 */
export async function installStudyCodebook(db: Database, actor: Actor, input: { studyId: string; sourceText: string }): Promise<CodebookInstallResult> {
  assertCan(actor, "papers.manage");
  const parsed = parseCodebook(input.sourceText);
  if (!parsed.ok) return parsed;
  const current = await getStudyCodebook(db, input.studyId);
  const diff = diffCodebooks(current.codebook, parsed.value);
  await db.prisma.$transaction(async (tx) => {
    const codebookId = await storeCodebookVersion(tx, parsed.value, input.sourceText);
    await tx.study.update({ where: { id: input.studyId }, data: { codebookId } });
    await recordAudit(tx, actor, "codebook.install", `${parsed.value.id} v${parsed.value.version}`, { outdated: diff.outdatedQuestionIds });
  });
  return { ok: true, codebook: parsed.value, outdatedQuestionIds: diff.outdatedQuestionIds };
}

/**
 * The population definition (strata, venues, filters) of a study: its own, or the shipped reference one.
 * @throws Error when the stored text no longer validates (it was validated when saved).
 */
export function studyPopulationDefinition(study: Pick<LiteratureStudy, "populationSource">): { source: string; definition: PopulationDefinition; isDefault: boolean } {
  const source = study.populationSource ?? shippedPopulationSource();
  const parsed = parsePopulationDefinition(source);
  if (!parsed.ok) throw new Error(`population definition does not validate: ${parsed.errors.map((error) => error.message).join("; ")}`);
  return { source, definition: parsed.value, isDefault: study.populationSource === null };
}
