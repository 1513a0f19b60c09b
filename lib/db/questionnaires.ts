/**
 * Questionnaires and their versions, as the admin manages them: create from a definition file, edit (a draft
 * version is edited in place; a published version is frozen, so editing it starts a new draft), publish,
 * close and reopen, distribution settings, and the list with response counts.
 *
 * Every function takes the acting user and checks "surveys.manage" itself; changes are audited in the same
 * transaction.
 */
import { lineOfFirstNul, nulMessage } from "@/lib/io/nul-bytes";
import fs from "node:fs";
import type { Database } from "./engine/connection";
import { recordAudit } from "./audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseDefinitionFile, type DefinitionFileError, type DefinitionFileFormat } from "@/lib/io/definition-file";
import { listQuestions, questionnaireDefinitionSchema, type QuestionnaireDefinition } from "@/lib/survey/definition";
import { headlineConfigSchema, storedHeadlineConfig, type HeadlineConfig } from "@/lib/dashboard/headlines";
import { optionsOf } from "@/lib/dashboard/survey-results";
import type { Prisma } from "@/lib/generated/prisma/client";

export type QuestionnaireStatus = "DRAFT" | "OPEN" | "CLOSED";

/** Result of reading a definition the admin wrote: the definition or every problem with its line. */
export type DefinitionCheck = { ok: true; definition: QuestionnaireDefinition } | { ok: false; errors: DefinitionFileError[] };

/**
 * Validates a questionnaire definition written in YAML or JSON.
 * @param sourceText the text as typed or uploaded.
 * @param format "yaml", "json" or "auto".
 */
export function checkQuestionnaireSource(sourceText: string, format: DefinitionFileFormat = "auto"): DefinitionCheck {
  if (sourceText.trim() === "") return { ok: false, errors: [{ line: 1, column: 1, path: "", message: "The definition is empty." }] };
  const nulLine = lineOfFirstNul(sourceText);
  if (nulLine !== null) return { ok: false, errors: [{ line: nulLine, column: 1, path: "", message: nulMessage(nulLine) }] };
  const result = parseDefinitionFile(sourceText, questionnaireDefinitionSchema, { format });
  return result.ok ? { ok: true, definition: result.value } : { ok: false, errors: result.errors };
}

/** Thrown when a definition does not validate; carries the located problems for the editor. */
export class DefinitionInvalidError extends AppError {
  constructor(readonly errors: DefinitionFileError[]) {
    super("INVALID_INPUT", `The definition has ${errors.length} problem${errors.length === 1 ? "" : "s"}; see the list beside the editor.`);
  }
}

const definitionCache = new Map<string, QuestionnaireDefinition>();

/** The parsed definition of a published version if this process has read it before (saves reading its JSON). */
export function cachedDefinition(versionId: string): QuestionnaireDefinition | undefined {
  return definitionCache.get(versionId);
}

/**
 * The definition stored with a version, validated again (stored JSON is a trust boundary: it may have been
 * written by an older release). Published versions are frozen, so their parse is cached per version id.
 */
export function definitionOfVersion(version: { id: string; definition: unknown; publishedAt: Date | null }): QuestionnaireDefinition {
  const cached = definitionCache.get(version.id);
  if (cached) return cached;
  const parsed = questionnaireDefinitionSchema.safeParse(version.definition);
  if (!parsed.success) throw new Error(`Stored definition of questionnaire version ${version.id} is invalid: ${parsed.error.issues[0]?.message}`);
  if (version.publishedAt) definitionCache.set(version.id, parsed.data);
  return parsed.data;
}

export type VersionSummary = { id: string; version: number; publishedAt: Date | null; createdAt: Date; responseCount: number };

export type QuestionnaireSummary = {
  id: string;
  slug: string;
  title: string;
  status: QuestionnaireStatus;
  currentVersion: number | null;
  latestVersion: number;
  hasDraft: boolean;
  opensAt: Date | null;
  closesAt: Date | null;
  maxResponses: number | null;
  allowRepeat: boolean;
  publicLinkOpen: boolean;
  declined: number;
  started: number;
  completed: number;
  inProgress: number;
  imported: number;
  /** The study the questionnaire belongs to (null only for questionnaires made before studies were required). */
  study: { id: string; slug: string; name: string } | null;
  archived: boolean;
};

type CountRow = { questionnaireId: string; status: string; source: string; n: bigint | number };

async function responseCounts(db: Database, questionnaireIds: string[]): Promise<Map<string, { completed: number; inProgress: number; imported: number }>> {
  const counts = new Map<string, { completed: number; inProgress: number; imported: number }>();
  if (questionnaireIds.length === 0) return counts;
  const rows = await db.prisma.$queryRawUnsafe<CountRow[]>(
    `SELECT "questionnaireId", status::text AS status, source::text AS source, COUNT(*) AS n FROM "Response"
     WHERE "questionnaireId" = ANY($1::text[]) GROUP BY 1, 2, 3`,
    questionnaireIds,
  );
  for (const row of rows) {
    const entry = counts.get(row.questionnaireId) ?? { completed: 0, inProgress: 0, imported: 0 };
    const n = Number(row.n);
    if (row.source === "IMPORT") entry.imported += n;
    else if (row.status === "COMPLETED") entry.completed += n;
    else entry.inProgress += n;
    counts.set(row.questionnaireId, entry);
  }
  return counts;
}

/** Every questionnaire with its status and response counts (web responses; imported ones counted apart). */
export async function listQuestionnaires(db: Database, actor: Actor, options: { studyId?: string; includeArchived?: boolean } = {}): Promise<QuestionnaireSummary[]> {
  assertCan(actor, "surveys.manage");
  return questionnaireSummaries(db, { ...(options.studyId ? { studyId: options.studyId } : {}), ...(options.includeArchived === false ? { archivedAt: null } : {}) });
}

async function listQuestionnairesById(db: Database, actor: Actor, questionnaireId: string): Promise<QuestionnaireSummary[]> {
  assertCan(actor, "surveys.manage");
  return questionnaireSummaries(db, { id: questionnaireId });
}

async function questionnaireSummaries(db: Database, where: Prisma.QuestionnaireWhereInput): Promise<QuestionnaireSummary[]> {
  const questionnaires = await db.prisma.questionnaire.findMany({
    where,
    orderBy: { createdAt: "desc" },
    include: { study: { select: { id: true, slug: true, name: true } }, currentVersion: { select: { version: true } }, versions: { select: { version: true, publishedAt: true }, orderBy: { version: "desc" }, take: 1 } },
  });
  const counts = await responseCounts(db, questionnaires.map((q) => q.id));
  return questionnaires.map((q) => {
    const count = counts.get(q.id) ?? { completed: 0, inProgress: 0, imported: 0 };
    const latest = q.versions[0];
    return {
      id: q.id,
      slug: q.slug,
      title: q.title,
      status: q.status,
      currentVersion: q.currentVersion?.version ?? null,
      latestVersion: latest?.version ?? 0,
      hasDraft: latest !== undefined && latest.publishedAt === null,
      opensAt: q.opensAt,
      closesAt: q.closesAt,
      maxResponses: q.maxResponses,
      allowRepeat: q.allowRepeat,
      publicLinkOpen: q.publicLinkOpen,
      declined: q.declinedCount,
      started: count.completed + count.inProgress,
      completed: count.completed,
      inProgress: count.inProgress,
      imported: count.imported,
      study: q.study,
      archived: q.archivedAt !== null,
    };
  });
}

/** Where unfinished web responses stopped: one entry per page (section) with the number of responses there. */
export type DropOff = { sectionId: string; title: string; count: number };

export type QuestionnaireDetail = QuestionnaireSummary & {
  studyId: string | null;
  /** Headline proportions and dashboard defaults, as stored (lib/dashboard/headlines.ts). */
  headlineConfig: HeadlineConfig;
  /** Questions of the latest version with their answer options, for the headline form. */
  choiceQuestions: Array<{ id: string; text: string; options: Array<{ id: string; label: string }> }>;
  versions: VersionSummary[];
  /** The latest version's source text, for the editor. */
  latestSource: string;
  latestVersionId: string;
  latestPublished: boolean;
  dropOff: DropOff[];
  invitationLists: Array<{ id: string; name: string; createdAt: Date; size: number; used: number }>;
};

/** One questionnaire with versions, drop-off by page and invitation lists. */
export async function getQuestionnaireDetail(db: Database, actor: Actor, questionnaireId: string): Promise<QuestionnaireDetail> {
  assertCan(actor, "surveys.manage");
  const [summary] = await listQuestionnairesById(db, actor, questionnaireId);
  const q = await db.prisma.questionnaire.findUnique({
    where: { id: questionnaireId },
    include: {
      versions: { orderBy: { version: "desc" }, include: { _count: { select: { responses: true } } } },
      invitationLists: { orderBy: { createdAt: "desc" }, include: { invitations: { select: { responseId: true } } } },
    },
  });
  if (!q || !summary) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  const latest = q.versions[0];
  if (!latest) throw new AppError("NOT_FOUND", "That questionnaire has no version.");

  const stops = await db.prisma.response.groupBy({
    by: ["currentSection", "versionId"],
    where: { questionnaireId, status: "IN_PROGRESS", source: "WEB" },
    _count: { _all: true },
  });
  const titles = new Map<string, string>();
  const order: string[] = [];
  for (const version of [...q.versions].reverse()) {
    for (const section of definitionOfVersion(version).sections) {
      if (!titles.has(section.id)) order.push(section.id);
      titles.set(section.id, section.title);
    }
  }
  const bySection = new Map<string, number>();
  for (const stop of stops) {
    const key = stop.currentSection ?? "(consent)";
    bySection.set(key, (bySection.get(key) ?? 0) + stop._count._all);
  }
  const dropOff = [...bySection.entries()]
    .map(([sectionId, count]) => ({ sectionId, title: titles.get(sectionId) ?? sectionId, count }))
    .sort((a, b) => order.indexOf(a.sectionId) - order.indexOf(b.sectionId));

  const latestDefinition = definitionOfVersion(latest);
  return {
    ...summary,
    studyId: q.studyId,
    headlineConfig: storedHeadlineConfig(q.headlineConfig),
    choiceQuestions: listQuestions(latestDefinition)
      .filter((question) => question.type === "single_choice" || question.type === "binned_estimate" || question.type === "likert")
      .map((question) => ({ id: question.id, text: question.text, options: optionsOf(question) })),
    versions: q.versions.map((v) => ({ id: v.id, version: v.version, publishedAt: v.publishedAt, createdAt: v.createdAt, responseCount: v._count.responses })),
    latestSource: latest.sourceText,
    latestVersionId: latest.id,
    latestPublished: latest.publishedAt !== null,
    dropOff,
    invitationLists: q.invitationLists.map((list) => ({
      id: list.id,
      name: list.name,
      createdAt: list.createdAt,
      size: list.invitations.length,
      used: list.invitations.filter((i) => i.responseId !== null).length,
    })),
  };
}

/** A version's definition for preview and export, for admins. */
export async function getVersionDefinition(db: Database, actor: Actor, input: { questionnaireId: string; versionId?: string }) {
  assertCan(actor, "surveys.manage");
  const version = input.versionId
    ? await db.prisma.questionnaireVersion.findFirst({ where: { id: input.versionId, questionnaireId: input.questionnaireId } })
    : await db.prisma.questionnaireVersion.findFirst({ where: { questionnaireId: input.questionnaireId }, orderBy: { version: "desc" } });
  if (!version) throw new AppError("NOT_FOUND", "That questionnaire version does not exist.");
  return { versionId: version.id, version: version.version, published: version.publishedAt !== null, definition: definitionOfVersion(version) };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/**
 * Creates a questionnaire from a definition, as a draft (version 1, unpublished). The definition's id becomes
 * the public slug (/s/<id>).
 * @throws DefinitionInvalidError with located problems; AppError CONFLICT when the id is taken.
 */
export async function createQuestionnaire(
  db: Database,
  actor: Actor,
  input: { sourceText: string; format?: DefinitionFileFormat; studyId?: string | null },
): Promise<{ id: string; slug: string }> {
  assertCan(actor, "surveys.manage");
  const check = checkQuestionnaireSource(input.sourceText, input.format);
  if (!check.ok) throw new DefinitionInvalidError(check.errors);
  const { definition } = check;
  try {
    return await db.prisma.$transaction(async (tx) => {
      if (input.studyId) {
        const study = await tx.study.findUnique({ where: { id: input.studyId }, select: { archivedAt: true } });
        if (!study) throw new AppError("NOT_FOUND", "That study does not exist.");
        if (study.archivedAt) throw new AppError("CONFLICT", "That study is archived; bring it back before adding a questionnaire to it.");
      }
      const questionnaire = await tx.questionnaire.create({
        data: {
          slug: definition.id,
          title: definition.title,
          studyId: input.studyId ?? null,
          versions: { create: { version: 1, definition: definition as unknown as Prisma.InputJsonValue, sourceText: input.sourceText } },
        },
      });
      await recordAudit(tx, actor, "questionnaire.create", definition.id, { title: definition.title, studyId: input.studyId ?? null });
      return { id: questionnaire.id, slug: questionnaire.slug };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A questionnaire with the id "${definition.id}" already exists; edit that one or choose another id.`);
    throw error;
  }
}

/**
 * Saves an edited definition. The latest version is edited in place while it is an unpublished draft; when
 * it is published (frozen) a new draft version is created, so responses always keep the version they answered.
 * The id (slug) cannot change.
 */
export async function saveQuestionnaireDraft(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; sourceText: string; format?: DefinitionFileFormat },
): Promise<{ versionId: string; version: number; created: boolean }> {
  assertCan(actor, "surveys.manage");
  const check = checkQuestionnaireSource(input.sourceText, input.format);
  if (!check.ok) throw new DefinitionInvalidError(check.errors);
  const { definition } = check;
  return db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    if (definition.id !== questionnaire.slug) {
      throw new DefinitionInvalidError([{ line: 1, column: 1, path: "id", message: `The id must stay "${questionnaire.slug}" (it is the public link); create a new questionnaire for a new id.` }]);
    }
    const latest = await tx.questionnaireVersion.findFirst({ where: { questionnaireId: questionnaire.id }, orderBy: { version: "desc" } });
    const json = definition as unknown as Prisma.InputJsonValue;
    let result: { versionId: string; version: number; created: boolean };
    if (latest && latest.publishedAt === null) {
      await tx.questionnaireVersion.update({ where: { id: latest.id }, data: { definition: json, sourceText: input.sourceText } });
      result = { versionId: latest.id, version: latest.version, created: false };
    } else {
      const version = (latest?.version ?? 0) + 1;
      const created = await tx.questionnaireVersion.create({ data: { questionnaireId: questionnaire.id, version, definition: json, sourceText: input.sourceText } });
      result = { versionId: created.id, version, created: true };
    }
    if (questionnaire.status === "DRAFT") await tx.questionnaire.update({ where: { id: questionnaire.id }, data: { title: definition.title } });
    await recordAudit(tx, actor, "questionnaire.save-draft", questionnaire.slug, { version: result.version });
    return result;
  });
}

/**
 * Publishes a draft version: it is frozen from now on and becomes the version new participants answer. A
 * questionnaire published for the first time opens (status OPEN); a closed one stays closed.
 */
export async function publishQuestionnaireVersion(db: Database, actor: Actor, input: { questionnaireId: string; versionId: string }): Promise<{ version: number }> {
  assertCan(actor, "surveys.manage");
  return db.prisma.$transaction(async (tx) => {
    const version = await tx.questionnaireVersion.findFirst({ where: { id: input.versionId, questionnaireId: input.questionnaireId }, include: { questionnaire: true } });
    if (!version) throw new AppError("NOT_FOUND", "That questionnaire version does not exist.");
    if (version.publishedAt !== null) {
      if (version.questionnaire.currentVersionId === version.id) return { version: version.version };
      throw new AppError("CONFLICT", `Version ${version.version} was published before and replaced; publish the latest version instead.`);
    }
    definitionOfVersion(version); // refuses to publish anything that no longer validates
    const now = new Date();
    await tx.questionnaireVersion.update({ where: { id: version.id }, data: { publishedAt: now } });
    const title = definitionOfVersion({ ...version, publishedAt: null }).title;
    await tx.questionnaire.update({
      where: { id: input.questionnaireId },
      data: { currentVersionId: version.id, title, status: version.questionnaire.status === "DRAFT" ? "OPEN" : version.questionnaire.status },
    });
    await recordAudit(tx, actor, "questionnaire.publish", version.questionnaire.slug, { version: version.version });
    return { version: version.version };
  });
}

/** Closes a questionnaire (no new answers are accepted) or reopens it. Only published questionnaires can open. */
export async function setQuestionnaireOpen(db: Database, actor: Actor, input: { questionnaireId: string; open: boolean }): Promise<QuestionnaireStatus> {
  assertCan(actor, "surveys.manage");
  return db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    if (input.open && !questionnaire.currentVersionId) throw new AppError("CONFLICT", "Publish a version before opening the questionnaire.");
    const status = input.open ? "OPEN" : "CLOSED";
    await tx.questionnaire.update({ where: { id: questionnaire.id }, data: { status } });
    await recordAudit(tx, actor, input.open ? "questionnaire.reopen" : "questionnaire.close", questionnaire.slug);
    return status;
  });
}

export type QuestionnaireSettings = {
  opensAt: Date | null;
  closesAt: Date | null;
  maxResponses: number | null;
  allowRepeat: boolean;
  publicLinkOpen: boolean;
};

/** Distribution settings: open/close dates, quota of completed responses, repeat answers, public link. */
export async function updateQuestionnaireSettings(db: Database, actor: Actor, input: { questionnaireId: string } & QuestionnaireSettings): Promise<void> {
  assertCan(actor, "surveys.manage");
  if (input.opensAt && input.closesAt && input.opensAt >= input.closesAt) throw new AppError("INVALID_INPUT", "The closing date must be after the opening date.");
  if (input.maxResponses !== null && (!Number.isInteger(input.maxResponses) || input.maxResponses < 1)) {
    throw new AppError("INVALID_INPUT", "The response limit must be a whole number of at least 1, or empty for no limit.");
  }
  await db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    const { questionnaireId, ...settings } = input;
    await tx.questionnaire.update({ where: { id: questionnaireId }, data: settings });
    await recordAudit(tx, actor, "questionnaire.settings", questionnaire.slug, {
      ...settings,
      opensAt: settings.opensAt?.toISOString() ?? null,
      closesAt: settings.closesAt?.toISOString() ?? null,
    });
  });
}

/** Reads a questionnaire file from disk (for the demo seed and scripts), validated with located errors. */
export function readQuestionnaireFile(filePath: string): { sourceText: string; definition: QuestionnaireDefinition } {
  const sourceText = fs.readFileSync(filePath, "utf8");
  const check = checkQuestionnaireSource(sourceText, filePath.endsWith(".json") ? "json" : "auto");
  if (!check.ok) throw new Error(`${filePath}:\n${check.errors.map((e) => `  line ${e.line}, column ${e.column} (${e.path}): ${e.message}`).join("\n")}`);
  return { sourceText, definition: check.definition };
}

/**
 * Moves a questionnaire, with its versions and responses, to another study: an explicit, audited action (its
 * results leave the old study's dashboard and join the new one's).
 * @throws AppError NOT_FOUND for an unknown questionnaire or study; CONFLICT for an archived target study.
 */
export async function moveQuestionnaire(db: Database, actor: Actor, input: { questionnaireId: string; studyId: string }): Promise<{ from: string | null; to: string }> {
  assertCan(actor, "surveys.manage");
  assertCan(actor, "studies.manage");
  return db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { slug: true, study: { select: { id: true, slug: true } } } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    const target = await tx.study.findUnique({ where: { id: input.studyId }, select: { slug: true, archivedAt: true } });
    if (!target) throw new AppError("NOT_FOUND", "That study does not exist.");
    if (target.archivedAt) throw new AppError("CONFLICT", `The study "${target.slug}" is archived; bring it back first.`);
    if (questionnaire.study?.id === input.studyId) throw new AppError("CONFLICT", `The questionnaire is in the study "${target.slug}" already.`);
    await tx.questionnaire.update({ where: { id: input.questionnaireId }, data: { studyId: input.studyId } });
    await recordAudit(tx, actor, "questionnaire.move", questionnaire.slug, { fromStudy: questionnaire.study?.slug ?? null, toStudy: target.slug });
    return { from: questionnaire.study?.slug ?? null, to: target.slug };
  });
}

/**
 * Archives a questionnaire (closes it to participants and hides it from the default lists; its responses and
 * results stay) or brings it back (it stays closed until reopened).
 */
export async function setQuestionnaireArchived(db: Database, actor: Actor, input: { questionnaireId: string; archived: boolean }): Promise<void> {
  assertCan(actor, "surveys.manage");
  await db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { slug: true, status: true } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    await tx.questionnaire.update({
      where: { id: input.questionnaireId },
      data: input.archived ? { archivedAt: new Date(), ...(questionnaire.status === "OPEN" ? { status: "CLOSED" as const } : {}) } : { archivedAt: null },
    });
    await recordAudit(tx, actor, input.archived ? "questionnaire.archive" : "questionnaire.unarchive", questionnaire.slug, input.archived ? { statusBefore: questionnaire.status } : undefined);
  });
}

/**
 * Deletes a questionnaire with its versions, invitation lists and imports. The admin types the questionnaire's
 * id to confirm; when it has responses, they must also confirm deleting that many responses (export first).
 * @throws AppError NOT_FOUND; INVALID_INPUT when a confirmation is missing (nothing is deleted).
 */
export async function deleteQuestionnaire(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; confirmSlug: string; deleteResponses: boolean },
): Promise<{ slug: string; responses: number }> {
  assertCan(actor, "surveys.manage");
  return db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({ where: { id: input.questionnaireId }, select: { slug: true, title: true, study: { select: { slug: true } } } });
    if (!questionnaire) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    if (input.confirmSlug.trim() !== questionnaire.slug) throw new AppError("INVALID_INPUT", `Type the questionnaire's id "${questionnaire.slug}" to confirm deleting it.`);
    const responses = await tx.response.count({ where: { questionnaireId: input.questionnaireId } });
    if (responses > 0 && !input.deleteResponses) {
      throw new AppError("INVALID_INPUT", `The questionnaire has ${responses} response${responses === 1 ? "" : "s"}. Export them first, then tick "also delete the ${responses} responses" — or archive the questionnaire instead.`);
    }
    // Responses reference versions; deleting them first keeps the cascade free of restricted references.
    await tx.response.deleteMany({ where: { questionnaireId: input.questionnaireId } });
    await tx.questionnaire.update({ where: { id: input.questionnaireId }, data: { currentVersionId: null } });
    await tx.questionnaire.delete({ where: { id: input.questionnaireId } });
    await recordAudit(tx, actor, "questionnaire.delete", questionnaire.slug, { title: questionnaire.title, study: questionnaire.study?.slug ?? null, responsesDeleted: responses });
    return { slug: questionnaire.slug, responses };
  });
}

/**
 * Replaces a questionnaire's headline configuration (validated; headlines must name a question of the latest
 * version and answers it has). `config` is the new configuration, or a change to the stored one (add or remove
 * one headline), applied inside the same transaction so two admins' edits never overwrite each other.
 * @throws AppError NOT_FOUND; INVALID_INPUT naming the headline and what is wrong.
 */
export async function saveQuestionnaireHeadlines(
  db: Database,
  actor: Actor,
  input: { questionnaireId: string; config: HeadlineConfig | ((stored: HeadlineConfig) => HeadlineConfig); via: string },
): Promise<void> {
  assertCan(actor, "surveys.manage");
  await db.prisma.$transaction(async (tx) => {
    const questionnaire = await tx.questionnaire.findUnique({
      where: { id: input.questionnaireId },
      select: { slug: true, headlineConfig: true, versions: { orderBy: { version: "desc" }, take: 1, select: { id: true, definition: true, publishedAt: true } } },
    });
    const latest = questionnaire?.versions[0];
    if (!questionnaire || !latest) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
    const config = headlineConfigSchema.parse(typeof input.config === "function" ? input.config(storedHeadlineConfig(questionnaire.headlineConfig)) : input.config);
    const problem = headlineProblem(definitionOfVersion(latest), config);
    if (problem) throw new AppError("INVALID_INPUT", problem);
    await tx.questionnaire.update({ where: { id: input.questionnaireId }, data: { headlineConfig: config as unknown as Prisma.InputJsonValue } });
    await recordAudit(tx, actor, "questionnaire.headlines", questionnaire.slug, { via: input.via, headlines: config.headlines.map((headline) => headline.id) });
  });
}

/** The first headline that names a question or answer the definition does not have, as a sentence. */
export function headlineProblem(definition: QuestionnaireDefinition, config: HeadlineConfig): string | null {
  const questions = new Map(listQuestions(definition).map((question) => [question.id, question]));
  for (const headline of config.headlines) {
    const question = questions.get(headline.question);
    if (!question) return `Headline "${headline.id}": the questionnaire has no question ${headline.question}.`;
    const options = new Set(optionsOf(question).map((option) => option.id));
    if (options.size === 0) return `Headline "${headline.id}": ${headline.question} is not a choice question.`;
    // Answers of a multiple-choice question overlap, so adding their counts would count a respondent twice.
    if (question.type === "multiple_choice" && headline.anyOf.length > 1) return `Headline "${headline.id}": ${headline.question} allows several answers; a headline on it can count only one answer.`;
    const unknown = headline.anyOf.filter((id) => !options.has(id));
    if (unknown.length > 0) return `Headline "${headline.id}": ${headline.question} has no answer ${unknown.map((id) => `"${id}"`).join(", ")} (it has ${[...options].join(", ")}).`;
  }
  return null;
}

/** A questionnaire's headline configuration for export. Needs surveys.manage. */
export async function getQuestionnaireHeadlines(db: Database, actor: Actor, questionnaireId: string): Promise<{ slug: string; config: HeadlineConfig }> {
  assertCan(actor, "surveys.manage");
  const row = await db.prisma.questionnaire.findUnique({ where: { id: questionnaireId }, select: { slug: true, headlineConfig: true } });
  if (!row) throw new AppError("NOT_FOUND", "That questionnaire does not exist.");
  return { slug: row.slug, config: storedHeadlineConfig(row.headlineConfig) };
}
