"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionResult, formValues } from "@/lib/action-result";
import { requireUserForAction } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { deleteExperimentSet } from "@/lib/db/experiments";
import { moveExperimentSet } from "@/lib/db/experiment-studies";
import type { ActionResult } from "@/lib/errors";
import { cancelRunnerJob, startRunnerJob } from "@/lib/jobs/manager";
import { jobRequestSchema } from "@/lib/jobs/request";

type JobResult = ActionResult<{ jobId: string }>;

export async function startRunnerJobAction(_previous: JobResult | null, form: FormData): Promise<JobResult> {
  return actionResult(formValues(form), async () => {
    const input = jobRequestSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const job = await startRunnerJob(await getDatabase(), actor, input);
    revalidatePath("/admin/experiments");
    return { data: { jobId: job.id }, message: `Started ${input.preset} (${input.setting}, ${input.runs} runs per set). Its progress is shown in the jobs list.` };
  });
}

const jobIdSchema = z.object({ jobId: z.string().min(1).max(100) });

export async function cancelRunnerJobAction(_previous: JobResult | null, form: FormData): Promise<JobResult> {
  return actionResult(formValues(form), async () => {
    const input = jobIdSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    await cancelRunnerJob(await getDatabase(), actor, input);
    revalidatePath("/admin/experiments");
    return { data: { jobId: input.jobId }, message: "Cancelling: the runs in flight stop, finished runs are imported." };
  });
}

const setIdSchema = z.object({ setId: z.string().min(1).max(300) });

export async function deleteExperimentSetAction(_previous: ActionResult<{ setId: string }> | null, form: FormData): Promise<ActionResult<{ setId: string }>> {
  const result = await actionResult(formValues(form), async () => {
    const input = setIdSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    await deleteExperimentSet(await getDatabase(), actor, input);
    revalidatePath("/admin/experiments");
    return { data: { setId: input.setId } };
  });
  // The set's page no longer exists: go back to the list.
  if (result.ok) redirect("/admin/experiments?deleted=1");
  return result;
}

const moveSchema = z.object({ setId: z.string().min(1).max(300), study: z.string().min(1, "Choose the study to move the set to").max(64), reason: z.string().max(2000).optional() });

/** Moves a set to another study (audited with both studies and the reason). */
export async function moveExperimentSetAction(_previous: ActionResult<{ setId: string }> | null, form: FormData): Promise<ActionResult<{ setId: string }>> {
  return actionResult(formValues(form), async () => {
    const input = moveSchema.parse(Object.fromEntries(form));
    const actor = await requireUserForAction();
    const moved = await moveExperimentSet(await getDatabase(), actor, { setId: input.setId, studySlug: input.study, reason: input.reason });
    revalidatePath("/admin/experiments");
    revalidatePath("/admin/studies", "layout");
    return { data: { setId: input.setId }, message: moved.from === moved.to ? `The set is in study ${moved.to} already.` : `Moved from ${moved.from ?? "no study"} to ${moved.to}.` };
  });
}
