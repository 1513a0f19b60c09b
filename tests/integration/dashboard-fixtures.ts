import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDefinitionFile } from "@/lib/io/definition-file";
import { codebookSchema } from "@/lib/coding/codebook";
import { questionnaireDefinitionSchema, type QuestionnaireDefinition } from "@/lib/survey/definition";
import type { Database } from "@/lib/db/engine/connection";
import { parseHeadlineConfig, type HeadlineConfig } from "@/lib/dashboard/headlines";

const root = path.resolve(import.meta.dirname, "../..");

/** The reference questionnaire, validated. */
export function loadPhamDefinition(): QuestionnaireDefinition {
  const result = parseDefinitionFile(readFileSync(path.join(root, "data/questionnaires/pham2020.yaml"), "utf8"), questionnaireDefinitionSchema);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

/** The reference study's headlines (the demo questionnaire's stored headlines). */
export function loadPhamHeadlines(): HeadlineConfig {
  return parseHeadlineConfig(readFileSync(path.join(root, "data/questionnaires/pham2020-headlines.yaml"), "utf8"));
}

/** A study with the reference codebook attached, and two coder accounts. */
export async function createStudyWithCodebook(db: Database, slug: string) {
  const sourceText = readFileSync(path.join(root, "data/codebooks/pham2020.yaml"), "utf8");
  const parsed = parseDefinitionFile(sourceText, codebookSchema);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const codebook = await db.prisma.codebook.create({ data: { slug: `pham2020-${slug}`, version: 1, definition: parsed.value as object, sourceText } });
  const study = await db.prisma.study.create({
    data: { slug, name: `Study ${slug}`, codebookId: codebook.id, strataConfig: { strata: [{ id: "se-systems", label: "SE and systems" }, { id: "ai", label: "AI" }] } },
  });
  const coders = await Promise.all(
    ["c1", "c2"].map((name) => db.prisma.user.create({ data: { email: `${name}-${slug}@example.org`, name, role: "ANNOTATOR" } })),
  );
  return { study, codebook: parsed.value, coderIds: [coders[0]!.id, coders[1]!.id] as [string, string] };
}
