"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { createStudy, renameStudy, setStudyArchived, studyInputSchema } from "@/lib/db/studies";
import type { ActionResult } from "@/lib/errors";

type Result = ActionResult<{ slug: string }>;

/** Creates a study and opens it: the new study, not the previous one, is where the admin lands. */
export async function createStudyAction(_previous: Result | null, form: FormData): Promise<Result> {
  let created: string | null = null;
  const result = await actionResult(formValues(form), async () => {
    const input = studyInputSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const study = await createStudy(await getDatabase(), actor, input);
    created = study.slug;
    revalidatePath("/admin");
    revalidatePath("/admin/studies");
    return { data: { slug: study.slug }, message: `Created the study ${study.name}.` };
  });
  if (created) redirect(`/admin/studies/${created}`);
  return result;
}

export async function renameStudyAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = z.object({ studyId: z.string().min(1), name: z.string(), description: z.string().optional().default("") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const study = await renameStudy(await getDatabase(), actor, input);
    revalidatePath("/admin", "layout");
    return { data: { slug: study.slug }, message: `Saved: the study is now called ${study.name}.` };
  });
}

export async function archiveStudyAction(_previous: Result | null, form: FormData): Promise<Result> {
  return actionResult(formValues(form), async () => {
    const input = z.object({ studyId: z.string().min(1), archived: z.enum(["true", "false"]).transform((v) => v === "true") }).parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const study = await setStudyArchived(await getDatabase(), actor, input);
    revalidatePath("/admin", "layout");
    return { data: { slug: study.slug }, message: study.archived ? `Archived ${study.name}; its data is kept and its pages still open.` : `${study.name} is active again.` };
  });
}
