import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDefinitionFile } from "@/lib/io/definition-file";
import { questionnaireDefinitionSchema } from "@/lib/survey/definition";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";

const root = path.resolve(import.meta.dirname, "../../..");

/** Reads and validates a questionnaire file relative to the repository root; throws with the errors. */
export function loadQuestionnaire(relativePath: string): QuestionnaireDefinition {
  const result = parseDefinitionFile(readFileSync(path.join(root, relativePath), "utf8"), questionnaireDefinitionSchema);
  if (!result.ok) throw new Error(`${relativePath}: ${JSON.stringify(result.errors)}`);
  return result.value;
}

export const loadMini = () => loadQuestionnaire("tests/fixtures/survey/mini.yaml");
export const loadPham = () => loadQuestionnaire("data/questionnaires/pham2020.yaml");
export const readFixture = (name: string): string => readFileSync(path.join(root, "tests/fixtures/survey", name), "utf8");
