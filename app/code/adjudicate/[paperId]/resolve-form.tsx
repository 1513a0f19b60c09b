"use client";
import { useActionState, useMemo, useState } from "react";
import { askedQuestions, type Codebook } from "@/lib/coding/codebook";
import { FormMessage } from "../../../_components/form-field";
import { CodebookQuestions, type DraftAnswers } from "../../_components/codebook-questions";
import { resolvePaperAction } from "../actions";

/** The adjudicator's final code: the codebook's questions (conditions applied), prefilled where coders agree, and a reason. */
export function ResolveForm({ paperId, codebook, initial, initialReason }: { paperId: string; codebook: Codebook; initial: DraftAnswers; initialReason: string }) {
  const [state, action, pending] = useActionState(resolvePaperAction, null);
  const [answers, setAnswers] = useState<DraftAnswers>(initial);
  const [reason, setReason] = useState(state && !state.ok ? (state.values?.reason ?? initialReason) : initialReason);
  const questions = useMemo(
    () => askedQuestions(codebook, answers as Record<string, string | string[]>).filter((question) => question.type !== "text"),
    [codebook, answers],
  );
  const payload = JSON.stringify(Object.fromEntries(questions.filter((question) => answers[question.id] !== undefined && answers[question.id] !== "").map((question) => [question.id, answers[question.id]])));
  const errors = state && !state.ok ? (state.questionErrors ?? {}) : {};
  return (
    <form action={action} aria-label="Final code" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="paperId" value={paperId} />
      <input type="hidden" name="answers" value={payload} />
      <CodebookQuestions codebook={codebook} questions={questions} answers={answers} onChange={(id, value) => setAnswers((current) => ({ ...current, [id]: value }))} errors={errors} idPrefix="final" />
      <div className="field">
        <label htmlFor="final-reason">Reason for the final code</label>
        <span className="hint" id="final-reason-hint">
          What decided it, e.g. the section of the paper that settles the question.
        </span>
        <textarea
          id="final-reason"
          name="reason"
          rows={3}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          aria-describedby={errors.reason ? "final-reason-hint final-reason-error" : "final-reason-hint"}
          aria-invalid={errors.reason ? true : undefined}
        />
        {errors.reason ? (
          <span className="field-error" id="final-reason-error">
            {errors.reason}
          </span>
        ) : null}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save final code"}
      </button>
    </form>
  );
}
