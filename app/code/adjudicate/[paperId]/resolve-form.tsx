"use client";
import { useMemo, useState } from "react";
import { askedQuestions, type Codebook } from "@/lib/coding/codebook";
import { FormMessage } from "../../../_components/form-field";
import { CodebookQuestions, type DraftAnswers } from "../../_components/codebook-questions";
import { ReasonField, type ReasonSpec } from "../../_components/reason-field";
import { useKeptFormAction } from "../../_components/use-kept-form";
import { resolvePaperAction } from "../actions";

const REASON: ReasonSpec = {
  id: "final-reason",
  name: "reason",
  label: "Reason for the final code",
  hint: "What decided it, e.g. the section of the paper that settles the question.",
  rows: 3,
};

const OVERRIDE_REASON: ReasonSpec = {
  id: "final-override",
  name: "overrideReason",
  label: "Why you adjudicate a paper you coded",
  hint: "Disagreements are settled by someone who did not code the paper. As an admin you may override that; your reason is recorded in the audit log.",
  rows: 2,
};

/**
 * The adjudicator's final code: the codebook's questions (conditions applied), prefilled where coders agree,
 * and a reason; plus the override reason when an admin settles a paper they coded themselves.
 */
export function ResolveForm({
  paperId,
  codebook,
  initial,
  initialReason,
  needsOverride,
}: {
  paperId: string;
  codebook: Codebook;
  initial: DraftAnswers;
  initialReason: string;
  needsOverride: boolean;
}) {
  const { state, onSubmit, pending } = useKeptFormAction(resolvePaperAction);
  const [answers, setAnswers] = useState<DraftAnswers>(initial);
  const [reason, setReason] = useState(initialReason);
  const [overrideReason, setOverrideReason] = useState("");
  const questions = useMemo(
    () => askedQuestions(codebook, answers as Record<string, string | string[]>).filter((question) => question.type !== "text"),
    [codebook, answers],
  );
  const payload = JSON.stringify(Object.fromEntries(questions.filter((question) => answers[question.id] !== undefined && answers[question.id] !== "").map((question) => [question.id, answers[question.id]])));
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form onSubmit={onSubmit} aria-label="Final code" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="paperId" value={paperId} />
      <input type="hidden" name="answers" value={payload} />
      <CodebookQuestions codebook={codebook} questions={questions} answers={answers} onChange={(id, value) => setAnswers((current) => ({ ...current, [id]: value }))} errors={errors} idPrefix="final" />
      <ReasonField spec={REASON} value={reason} onChange={setReason} error={errors.reason} />
      {needsOverride ? <ReasonField spec={OVERRIDE_REASON} value={overrideReason} onChange={setOverrideReason} error={errors.overrideReason} /> : null}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save final code"}
      </button>
    </form>
  );
}
