"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { installStudyCodebook } from "@/lib/db/codebooks";
import { createStudy } from "@/lib/db/studies";
import { savePopulationDefinition } from "@/lib/db/papers";
import { assignSampleCoders, drawStudySample, extendStudySample } from "@/lib/db/samples";
import { AppError, type ActionResult } from "@/lib/errors";

type Result = ActionResult<{ summary: string }>;

const seedField = z.coerce.number({ message: "Enter a whole number" }).int("Enter a whole number").min(0, "Enter 0 or more").max(2 ** 31 - 1, "Too large");
const countField = z.coerce.number({ message: "Enter a whole number" }).int("Enter a whole number").min(0, "Enter 0 or more").max(1_000_000, "Too large");

const createStudySchema = z.object({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "Use 2–41 lower-case letters, digits or dashes"),
  name: z.string().trim().min(3, "Give the study a name").max(200),
});

/** Creates a study (the one writer, lib/db/studies) and opens its literature page: the new study, not the previous one. */
export async function createStudyAction(_previous: Result | null, form: FormData): Promise<Result> {
  let created: string | null = null;
  const result = await actionResult(formValues(form), async () => {
    const input = createStudySchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const study = await createStudy(await getDatabase(), actor, input);
    created = study.slug;
    revalidatePath("/admin", "layout");
    return { data: { summary: study.slug }, message: `Created the study ${study.name}.` };
  });
  if (created) redirect(`/admin/literature?study=${encodeURIComponent(created)}&created=1`);
  return result;
}

const definitionSchema = z.object({ studyId: z.string().min(1), sourceText: z.string().min(1, "The definition is empty").max(200_000) });

/** Formats definition-file errors (line, column, message) for the form. */
const describeErrors = (errors: { line: number; column: number; message: string; path: string }[]) =>
  errors
    .slice(0, 8)
    .map((error) => `line ${error.line}, column ${error.column}${error.path ? ` (${error.path})` : ""}: ${error.message}`)
    .join("; ");

export async function savePopulationAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = definitionSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const saved = await savePopulationDefinition(await getDatabase(), actor, input);
    if (!saved.ok) throw new AppError("INVALID_INPUT", `The population definition was not saved: ${describeErrors(saved.errors)}.`);
    revalidatePath("/admin/literature", "layout");
    const sizes = saved.population.strata.map((stratum) => `${stratum.label} ${stratum.size}`).join(", ");
    return { data: { summary: sizes }, message: `Saved. Population: ${saved.population.members} papers (${sizes}); ${saved.population.excluded} excluded.` };
  });
}

export async function installCodebookAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = definitionSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const installed = await installStudyCodebook(await getDatabase(), actor, input);
    if (!installed.ok) throw new AppError("INVALID_INPUT", `The codebook was not installed: ${describeErrors(installed.errors)}.`);
    revalidatePath("/admin/literature", "layout");
    const outdated = installed.outdatedQuestionIds.length > 0 ? ` Codes made earlier on ${installed.outdatedQuestionIds.join(", ")} answered an older meaning; consider re-coding them.` : "";
    return { data: { summary: installed.codebook.id }, message: `Installed ${installed.codebook.title} v${installed.codebook.version}.${outdated}` };
  });
}

const drawSchema = z.object({
  studyId: z.string().min(1),
  kind: z.enum(["simple", "stratified-fixed", "stratified-proportional"]),
  n: countField.optional(),
  seed: seedField,
});

export async function drawSampleAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
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
    const actor = await requireUserForAction();
    const drawn = await drawStudySample(await getDatabase(), actor, { studyId: input.studyId, design, seed: input.seed });
    revalidatePath("/admin/literature", "layout");
    return { data: { summary: String(drawn.size) }, message: `Drew ${drawn.size} papers with seed ${input.seed}. The seed and the population fingerprint are recorded.` };
  });
}

export async function extendSampleAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const studyId = z.string().min(1).parse(form.get("studyId"));
    const total = form.get("additional");
    let additional: number | Record<string, number>;
    if (typeof total === "string") additional = countField.parse(total);
    else {
      additional = {};
      for (const [key, value] of form.entries()) {
        if (!key.startsWith("more:")) continue;
        const parsed = countField.safeParse(value === "" ? "0" : value);
        if (!parsed.success) throw new AppError("INVALID_INPUT", `The number for stratum ${key.slice(5)} must be a whole number of 0 or more.`);
        additional[key.slice(5)] = parsed.data;
      }
    }
    const actor = await requireUserForAction();
    const extended = await extendStudySample(await getDatabase(), actor, { studyId, additional });
    revalidatePath("/admin/literature", "layout");
    return { data: { summary: String(extended.added) }, message: `Added ${extended.added} papers to the sample; the papers drawn before are unchanged. Assign them to coders below.` };
  });
}

const assignSchema = z.object({
  studyId: z.string().min(1),
  codersPerPaper: z.coerce.number().int().min(2, "At least 2 coders per paper").max(20),
  calibrationSize: countField,
  seed: seedField,
});

export async function assignCodersAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = assignSchema.parse(Object.fromEntries(form));
    const coderIds = form.getAll("coderId").filter((value): value is string => typeof value === "string" && value.length > 0);
    if (coderIds.length < input.codersPerPaper) throw new AppError("INVALID_INPUT", `Choose at least ${input.codersPerPaper} coders.`);
    const actor = await requireUserForAction();
    const assigned = await assignSampleCoders(await getDatabase(), actor, { ...input, coderIds });
    revalidatePath("/admin/literature", "layout");
    revalidatePath("/code");
    return {
      data: { summary: String(assigned.assignments) },
      message: `Assigned ${assigned.calibration} calibration paper(s) to every coder and ${assigned.main} main-round paper(s) to ${input.codersPerPaper} coders each (${assigned.assignments} assignments).`,
    };
  });
}
