"use server";
import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { createStudy, renameStudy, setStudyArchived, studyInputSchema } from "@/lib/db/studies";

/** Creates a study and opens it: the new study, not the previous one, is where the admin lands. */
export const createStudyAction = defineAction(
  { input: studyInputSchema, revalidate: ["/admin", "/admin/studies"] },
  async ({ input, actor, db }) => {
    const study = await createStudy(db, actor, input);
    return { data: { slug: study.slug }, message: `Created the study ${study.name}.`, redirectTo: `/admin/studies/${study.slug}` };
  },
);

const renameSchema = z.object({ studyId: z.string().min(1), name: z.string(), description: z.string().optional().default("") });

export const renameStudyAction = defineAction({ input: renameSchema, revalidate: [{ layout: "/admin" }] }, async ({ input, actor, db }) => {
  const study = await renameStudy(db, actor, input);
  return { data: { slug: study.slug }, message: `Saved: the study is now called ${study.name}.` };
});

const archiveSchema = z.object({ studyId: z.string().min(1), archived: z.enum(["true", "false"]).transform((v) => v === "true") });

export const archiveStudyAction = defineAction({ input: archiveSchema, revalidate: [{ layout: "/admin" }] }, async ({ input, actor, db }) => {
  const study = await setStudyArchived(db, actor, input);
  return { data: { slug: study.slug }, message: study.archived ? `Archived ${study.name}; its data is kept and its pages still open.` : `${study.name} is active again.` };
});
