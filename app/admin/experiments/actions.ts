"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { deleteExperimentSet } from "@/lib/db/experiments";
import { moveExperimentSet } from "@/lib/db/experiment-studies";
import { cancelRunnerJob, startRunnerJob } from "@/lib/jobs/manager";
import { jobRequestSchema } from "@/lib/jobs/request";

export const startRunnerJobAction = defineAction({ input: jobRequestSchema, revalidate: ["/admin/experiments"] }, async ({ input, actor, db }) => {
  const job = await startRunnerJob(db, actor, input);
  return { data: { jobId: job.id }, message: `Started ${input.preset} (${input.setting}, ${input.runs} runs per set). Its progress is shown in the jobs list.` };
});

const jobIdSchema = z.object({ jobId: z.string().min(1).max(100) });

export const cancelRunnerJobAction = defineAction({ input: jobIdSchema, revalidate: ["/admin/experiments"] }, async ({ input, actor, db }) => {
  await cancelRunnerJob(db, actor, input);
  return { data: { jobId: input.jobId }, message: "Cancelling: the runs in flight stop, finished runs are imported." };
});

const setIdSchema = z.object({ setId: z.string().min(1).max(300) });

/** Deletes a set; its page no longer exists, so the admin goes back to the list. */
export const deleteExperimentSetAction = defineAction(
  { input: setIdSchema, revalidate: ["/admin/experiments"] },
  async ({ input, actor, db }) => {
    await deleteExperimentSet(db, actor, input);
    return { data: { setId: input.setId }, redirectTo: "/admin/experiments?deleted=1" };
  },
);

const moveSchema = z.object({ setId: z.string().min(1).max(300), study: z.string().min(1, "Choose the study to move the set to").max(64), reason: z.string().max(2000).optional() });

/** Moves a set to another study (audited with both studies and the reason). */
export const moveExperimentSetAction = defineAction(
  { input: moveSchema, revalidate: ["/admin/experiments", { layout: "/admin/studies" }] },
  async ({ input, actor, db }) => {
    const moved = await moveExperimentSet(db, actor, { setId: input.setId, studySlug: input.study, reason: input.reason });
    return { data: { setId: input.setId }, message: moved.from === moved.to ? `The set is in study ${moved.to} already.` : `Moved from ${moved.from ?? "no study"} to ${moved.to}.` };
  },
);
