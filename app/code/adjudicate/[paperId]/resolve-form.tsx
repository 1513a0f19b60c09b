"use client";
import { startTransition, useActionState, useMemo, useState, type FormEvent } from "react";
import { askedQuestions, type Codebook } from "@/lib/coding/codebook";
import { FormMessage } from "../../../_components/form-field";
import { CodebookQuestions, type DraftAnswers } from "../../_components/codebook-questions";
import { resolvePaperAction } from "../actions";

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
  const [state, action, pending] = useActionState(resolvePaperAction, null);
  const [answers, setAnswers] = useState<DraftAnswers>(initial);
  const [reason, setReason] = useState(initialReason);
  const [overrideReason, setOverrideReason] = useState("");
  // Submitting through <form action> resets the form after the action (React 19), which unticks the
  // controlled radio buttons while their state still holds the answer: after a validation error the form
  // looked as if an answer given had been cleared. Calling the action from onSubmit keeps every field as typed.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
  const questions = useMemo(
    () => askedQuestions(codebook, answers as Record<string, string | string[]>).filter((question) => question.type !== "text"),
    [codebook, answers],
  );
  const payload = JSON.stringify(Object.fromEntries(questions.filter((question) => answers[question.id] !== undefined && answers[question.id] !== "").map((question) => [question.id, answers[question.id]])));
  const errors = state && !state.ok ? (state.questionErrors ?? {}) : {};
  return (
    <form onSubmit={submit} aria-label="Final code" noValidate>
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
      {needsOverride ? (
        <div className="field">
          <label htmlFor="final-override">Why you adjudicate a paper you coded</label>
          <span className="hint" id="final-override-hint">
            Disagreements are settled by someone who did not code the paper. As an admin you may override that; your reason is recorded in the audit log.
          </span>
          <textarea
            id="final-override"
            name="overrideReason"
            rows={2}
            value={overrideReason}
            onChange={(event) => setOverrideReason(event.target.value)}
            aria-describedby={errors.overrideReason ? "final-override-hint final-override-error" : "final-override-hint"}
            aria-invalid={errors.overrideReason ? true : undefined}
          />
          {errors.overrideReason ? (
            <span className="field-error" id="final-override-error">
              {errors.overrideReason}
            </span>
          ) : null}
        </div>
      ) : null}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save final code"}
      </button>
    </form>
  );
}
