/**
 * Reads the planner's form fields from the page's query string. Bad input gets a sentence beside its field and
 * keeps what was typed; the planner then waits for valid input instead of guessing.
 */
import { DEFAULT_PLANNER_INPUTS, type PlannerInputs } from "@/lib/runner/pair-analysis";

export type PlannerForm = {
  /** what was typed, to show again */
  values: { d: string; power: string; alpha: string; sd: string };
  errors: Partial<Record<"d" | "power" | "alpha" | "sd", string>>;
  /** the inputs when every field is valid, otherwise null */
  inputs: PlannerInputs | null;
};

const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");

export function readPlannerForm(params: Record<string, string | string[] | undefined>): PlannerForm {
  const values = {
    d: text(params.d) || String(DEFAULT_PLANNER_INPUTS.difference),
    power: text(params.power) || String(DEFAULT_PLANNER_INPUTS.power),
    alpha: text(params.alpha) || String(DEFAULT_PLANNER_INPUTS.alpha),
    sd: text(params.sd),
  };
  const errors: PlannerForm["errors"] = {};
  const number = (raw: string) => (raw.trim() === "" ? NaN : Number(raw.trim().replace(",", ".")));
  const d = number(values.d);
  if (!Number.isFinite(d) || d <= 0 || d > 100) errors.d = "A difference in accuracy points greater than 0 and at most 100, e.g. 0.5.";
  const power = number(values.power);
  if (!Number.isFinite(power) || power <= 0 || power >= 1) errors.power = "A power strictly between 0 and 1, e.g. 0.8 (not 80).";
  const alpha = number(values.alpha);
  if (!Number.isFinite(alpha) || alpha <= 0 || alpha >= 1) errors.alpha = "A level strictly between 0 and 1, e.g. 0.05.";
  const sd = values.sd.trim() === "" ? null : number(values.sd);
  if (sd !== null && (!Number.isFinite(sd) || sd <= 0)) errors.sd = "An SD in accuracy points greater than 0, or empty to use the observed SDs.";
  const valid = Object.keys(errors).length === 0;
  return { values, errors, inputs: valid ? { difference: d, power, alpha, guessedSd: sd } : null };
}
