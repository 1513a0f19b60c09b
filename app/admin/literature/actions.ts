"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { installStudyCodebook } from "@/lib/db/codebooks";
import { createStudy } from "@/lib/db/studies";
import { savePopulationDefinition } from "@/lib/db/papers";
import { assignSampleCoders, drawStudySample, extendStudySample } from "@/lib/db/samples";
import { AppError } from "@/lib/errors";

const literature = { layout: "/admin/literature" };

const seedField = z.coerce.number({ message: "Enter a whole number" }).int("Enter a whole number").min(0, "Enter 0 or more").max(2 ** 31 - 1, "Too large");
const countField = z.coerce.number({ message: "Enter a whole number" }).int("Enter a whole number").min(0, "Enter 0 or more").max(1_000_000, "Too large");

const createStudySchema = z.object({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "Use 2–41 lower-case letters, digits or dashes"),
  name: z.string().trim().min(3, "Give the study a name").max(200),
});

/** Creates a study (the one writer, lib/db/studies) and opens its literature page: the new study, not the previous one. */
export const createStudyAction = defineAction({ input: createStudySchema, revalidate: [{ layout: "/admin" }] }, async ({ input, actor, db }) => {
  const study = await createStudy(db, actor, input);
  return {
    data: { summary: study.slug },
    message: `Created the study ${study.name}.`,
    redirectTo: `/admin/literature?study=${encodeURIComponent(study.slug)}&created=1`,
  };
});

const definitionSchema = z.object({ studyId: z.string().min(1), sourceText: z.string().min(1, "The definition is empty").max(200_000) });

/** Formats definition-file errors (line, column, message) for the form. */
const describeErrors = (errors: { line: number; column: number; message: string; path: string }[]) =>
  errors
    .slice(0, 8)
    .map((error) => `line ${error.line}, column ${error.column}${error.path ? ` (${error.path})` : ""}: ${error.message}`)
    .join("; ");

export const savePopulationAction = defineAction({ input: definitionSchema, revalidate: [literature] }, async ({ input, actor, db }) => {
  const saved = await savePopulationDefinition(db, actor, input);
  if (!saved.ok) throw new AppError("INVALID_INPUT", `The population definition was not saved: ${describeErrors(saved.errors)}.`);
  const sizes = saved.population.strata.map((stratum) => `${stratum.label} ${stratum.size}`).join(", ");
  return { data: { summary: sizes }, message: `Saved. Population: ${saved.population.members} papers (${sizes}); ${saved.population.excluded} excluded.` };
});

export const installCodebookAction = defineAction({ input: definitionSchema, revalidate: [literature] }, async ({ input, actor, db }) => {
  const installed = await installStudyCodebook(db, actor, input);
  if (!installed.ok) throw new AppError("INVALID_INPUT", `The codebook was not installed: ${describeErrors(installed.errors)}.`);
  const outdated = installed.outdatedQuestionIds.length > 0 ? ` Codes made earlier on ${installed.outdatedQuestionIds.join(", ")} answered an older meaning; consider re-coding them.` : "";
  return { data: { summary: installed.codebook.id }, message: `Installed ${installed.codebook.title} v${installed.codebook.version}.${outdated}` };
});

const drawSchema = z.object({
  studyId: z.string().min(1),
  kind: z.enum(["simple", "stratified-fixed", "stratified-proportional"]),
  n: countField.optional(),
  seed: seedField,
});

/** The design from the form: a total size, or one size per stratum (fields `size:<stratum>`). */
function readDraw(form: FormData) {
  const input = drawSchema.parse(Object.fromEntries([...form.entries()].filter(([key, value]) => !(key === "n" && value === ""))));
  const perStratum: Record<string, number> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("size:")) continue;
    const parsed = countField.safeParse(value);
    if (!parsed.success) throw new AppError("INVALID_INPUT", `The size for stratum ${key.slice(5)} must be a whole number of 0 or more.`);
    perStratum[key.slice(5)] = parsed.data;
  }
  if (input.kind !== "stratified-fixed" && input.n === undefined) throw new AppError("INVALID_INPUT", "Enter the total sample size.");
  const design = input.kind === "stratified-fixed" ? { kind: input.kind, perStratum } : { kind: input.kind, n: input.n! };
  return { studyId: input.studyId, design, seed: input.seed };
}

export const drawSampleAction = defineAction({ input: readDraw, revalidate: [literature] }, async ({ input, actor, db }) => {
  const drawn = await drawStudySample(db, actor, input);
  return { data: { summary: String(drawn.size) }, message: `Drew ${drawn.size} papers with seed ${input.seed}. The seed and the population fingerprint are recorded.` };
});

/** How many papers to add: a total, or one number per stratum (fields `more:<stratum>`, empty meaning 0). */
function readExtension(form: FormData) {
  const studyId = z.string().min(1).parse(form.get("studyId"));
  const total = form.get("additional");
  if (typeof total === "string") return { studyId, additional: countField.parse(total) };
  const additional: Record<string, number> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("more:")) continue;
    const parsed = countField.safeParse(value === "" ? "0" : value);
    if (!parsed.success) throw new AppError("INVALID_INPUT", `The number for stratum ${key.slice(5)} must be a whole number of 0 or more.`);
    additional[key.slice(5)] = parsed.data;
  }
  return { studyId, additional };
}

export const extendSampleAction = defineAction({ input: readExtension, revalidate: [literature] }, async ({ input, actor, db }) => {
  const extended = await extendStudySample(db, actor, input);
  return { data: { summary: String(extended.added) }, message: `Added ${extended.added} papers to the sample; the papers drawn before are unchanged. Assign them to coders below.` };
});

const assignSchema = z.object({
  studyId: z.string().min(1),
  codersPerPaper: z.coerce.number().int().min(2, "At least 2 coders per paper").max(20),
  calibrationSize: countField,
  seed: seedField,
});

/** The assignment settings and the chosen coders (repeated `coderId` fields). */
function readAssignment(form: FormData) {
  const input = assignSchema.parse(Object.fromEntries(form));
  const coderIds = form.getAll("coderId").filter((value): value is string => typeof value === "string" && value.length > 0);
  if (coderIds.length < input.codersPerPaper) throw new AppError("INVALID_INPUT", `Choose at least ${input.codersPerPaper} coders.`);
  return { ...input, coderIds };
}

export const assignCodersAction = defineAction({ input: readAssignment, revalidate: [literature, "/code"] }, async ({ input, actor, db }) => {
  const assigned = await assignSampleCoders(db, actor, input);
  return {
    data: { summary: String(assigned.assignments) },
    message: `Assigned ${assigned.calibration} calibration paper(s) to every coder and ${assigned.main} main-round paper(s) to ${input.codersPerPaper} coders each (${assigned.assignments} assignments).`,
  };
});
