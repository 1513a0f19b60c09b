import path from "node:path";
import type { Database } from "@/lib/db/engine/connection";
import type { Actor } from "@/lib/auth/permissions";
import { createQuestionnaire, publishQuestionnaireVersion, readQuestionnaireFile } from "@/lib/db/questionnaires";
import { newToken } from "@/lib/db/survey-tokens";

export const root = path.resolve(import.meta.dirname, "../..");
export const PHAM_FILE = path.join(root, "data/questionnaires/pham2020.yaml");

/** An admin row (audit entries reference it) and its Actor. */
export async function makeAdmin(db: Database): Promise<Actor> {
  const user = await db.prisma.user.create({ data: { email: `admin-${newToken().slice(0, 8)}@example.org`, name: "Admin", role: "ADMIN", canAdjudicate: true } });
  return { id: user.id, role: "ADMIN", canAdjudicate: true };
}

export async function makeAnnotator(db: Database): Promise<Actor> {
  const user = await db.prisma.user.create({ data: { email: `ann-${newToken().slice(0, 8)}@example.org`, name: "Annotator", role: "ANNOTATOR" } });
  return { id: user.id, role: "ANNOTATOR", canAdjudicate: false };
}

/** The reference questionnaire, created and published through the admin functions. */
export async function publishPham(db: Database, admin: Actor) {
  const { sourceText } = readQuestionnaireFile(PHAM_FILE);
  const created = await createQuestionnaire(db, admin, { sourceText });
  const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: created.id } });
  await publishQuestionnaireVersion(db, admin, { questionnaireId: created.id, versionId: version.id });
  return { ...created, versionId: version.id, sourceText };
}

/** Form fields that answer each page of the reference questionnaire (Q20 = maybe, so Q21 is shown). */
export const PHAM_PAGES: Record<string, Record<string, string | string[]>> = {
  background: { "q.position": "industry", "q.work_years": "6", "q.dl_years": "3", "q.education": "master", "q.frameworks": ["tensorflow", "pytorch"] },
  default_runs: { "q.Q20": "maybe", "q.Q21": "upto2", "q.Q21_class": "upto10", "q.time_default": "upto10" },
  fixed_seed: { "q.Q26": "yes", "q.Q27": "none", "q.Q27_class": "upto1", "q.time_fixed_seed": "upto5" },
  practice: { "q.model_selection": "best_val_loss", "q.repeat_runs": "3" },
  awareness: { "q.aware_impl": "no", "q.known_sources": ["weight_init", "dropout"], "q.comments": "Interesting." },
};
