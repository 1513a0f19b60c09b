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

/**
 * The answers of a complete mini.yaml response, with an "Other" text in a single and a multiple choice; tests
 * replace the texts they are about (e.g. a formula-like "Other" role for the CSV guard).
 */
export function completeMiniAnswers(texts: { otherRole: string; why: string }) {
  return {
    role: { choice: "other", otherText: texts.otherRole },
    tools: { choices: ["torch", "other"], otherText: "Julia, Flux" },
    years: 2.5,
    deterministic: { choice: "no" },
    spread: { choice: "small" },
    agree: 2,
    grid: { init: "always", gpu: "sometimes" },
    why: texts.why,
  };
}
