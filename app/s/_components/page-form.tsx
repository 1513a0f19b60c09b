"use client";
/**
 * One page (section) of a questionnaire. Show/skip rules are re-evaluated as the participant answers, with the
 * same pure functions the server uses (lib/survey), so a follow-up question appears as soon as the answer that
 * shows it is chosen. Hidden questions stay in the page (with `hidden`), so what was typed there is not lost
 * if the participant changes their mind; the server ignores them unless they are shown.
 *
 * Used for participants (mode "live": the form saves through a server action) and for the admin's preview
 * (mode "preview": nothing is sent anywhere).
 */
import Link from "next/link";
import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import type { QuestionnaireDefinition } from "@/lib/survey/definition";
import { definitionsForPage } from "@/lib/survey/definition";
import type { Answers } from "@/lib/survey/answer-types";
import { formDataToFields, readPageForm, validatePageAnswers, type FormFields } from "@/lib/survey/answers";
import { resolveVisibility } from "@/lib/survey/conditions";
import { orderQuestions, type PresentationOrder } from "@/lib/survey/randomize";
import { savePageAction, type PageState } from "../[slug]/actions";
import { QuestionFields } from "./question-fields";

type Mode = { kind: "live"; slug: string } | { kind: "preview"; previousHref: string | null; nextHref: string | null };

export type PageFormProps = {
  mode: Mode;
  definition: QuestionnaireDefinition;
  sectionId: string;
  /** Saved answers of the whole response (the page's own questions are taken from the form). */
  answers: Answers;
  initialFields: FormFields;
  presentation?: PresentationOrder;
  progress: { index: number; total: number };
  isFirst: boolean;
  isLast: boolean;
};

export function PageForm(props: PageFormProps) {
  const { mode, definition, sectionId, answers, presentation, progress, isFirst, isLast } = props;
  const [state, action, pending] = useActionState<PageState, FormData>(savePageAction, null);
  const [previewErrors, setPreviewErrors] = useState<Record<string, string> | null>(null);
  const section = definition.sections.find((candidate) => candidate.id === sectionId)!;
  const fields = state?.fields ?? props.initialFields;
  const [live, setLive] = useState<FormFields>(fields);
  // A refused "Next" answers with the fields as sent: take them over while rendering, not in an effect after.
  const [liveFrom, setLiveFrom] = useState(state);
  if (state !== liveFrom) {
    setLiveFrom(state);
    if (state?.fields) setLive(state.fields);
  }
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const fieldErrors = state?.fieldErrors ?? previewErrors ?? {};
  const errorCount = Object.keys(fieldErrors).length;

  // Move focus to the page heading when a new page appears, and to the error summary after a refused "Next",
  // so keyboard and screen-reader users start where they should.
  useEffect(() => {
    headingRef.current?.focus();
  }, [sectionId]);
  useEffect(() => {
    if (errorCount > 0 || state?.error) summaryRef.current?.focus();
  }, [state, previewErrors, errorCount]);

  const visibleIds = useMemo(() => {
    const reading = readPageForm(section, live);
    const merged: Answers = { ...answers };
    for (const question of section.questions) delete merged[question.id];
    Object.assign(merged, reading.answers);
    return resolveVisibility(definition, merged).visibleQuestionIds;
  }, [definition, section, answers, live]);

  const questions = orderQuestions(section, section.questions, presentation);
  const terms = definitionsForPage(definition, section, questions.filter((q) => visibleIds.has(q.id)));
  const onChange = () => {
    if (formRef.current) setLive(formDataToFields(new FormData(formRef.current).entries()));
  };
  const onPreviewSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reading = readPageForm(section, formDataToFields(new FormData(event.currentTarget).entries()));
    const merged = { ...answers, ...reading.answers };
    const result = validatePageAnswers(definition, section.id, merged);
    setPreviewErrors({ ...(result.ok ? {} : result.fieldErrors), ...reading.fieldErrors });
  };

  return (
    <form
      ref={formRef}
      action={mode.kind === "live" ? action : undefined}
      onSubmit={mode.kind === "preview" ? onPreviewSubmit : undefined}
      onChange={onChange}
      noValidate
      className="survey-page"
      aria-labelledby="page-title"
    >
      <div className="progress">
        <span id="progress-label">
          Page {progress.index + 1} of {progress.total}
        </span>
        <progress aria-labelledby="progress-label" max={progress.total} value={progress.index} />
      </div>
      <h1 id="page-title" tabIndex={-1} ref={headingRef}>
        {section.title}
      </h1>
      {section.description ? <p className="lead">{section.description}</p> : null}
      <div ref={summaryRef} tabIndex={-1}>
        {state?.error && !state.fieldErrors ? (
          <p className="notice error" role="alert">
            {state.error}
          </p>
        ) : null}
        {errorCount > 0 ? (
          <div className="notice error" role="alert">
            <p>
              {errorCount === 1 ? "One answer needs your attention" : `${errorCount} answers need your attention`} before you can continue:
            </p>
            <ul>
              {questions
                .filter((q) => fieldErrors[q.id])
                .map((q) => (
                  <li key={q.id}>
                    <a href={`#q-${q.id}`}>{q.text.length > 80 ? `${q.text.slice(0, 77)}…` : q.text}</a>: {fieldErrors[q.id]}
                  </li>
                ))}
            </ul>
          </div>
        ) : null}
      </div>
      {terms.length > 0 ? (
        <aside className="definitions" aria-labelledby="terms-title">
          <h2 id="terms-title">Before you answer: what we mean by</h2>
          <dl>
            {terms.map((term) => (
              <div key={term.id}>
                <dt>{term.term}</dt>
                <dd>{term.text}</dd>
              </div>
            ))}
          </dl>
        </aside>
      ) : null}
      {questions.some((q) => q.required) ? (
        <p className="muted small">
          Questions marked <span aria-hidden="true">*</span>
          <span className="sr-only">as required</span> need an answer.
        </p>
      ) : null}
      {mode.kind === "live" ? (
        <>
          <input type="hidden" name="_slug" value={mode.slug} />
          <input type="hidden" name="_section" value={section.id} />
        </>
      ) : null}
      {questions.map((question) => (
        <QuestionFields
          key={question.id}
          question={question}
          fields={fields}
          error={fieldErrors[question.id]}
          presentation={presentation}
          hidden={!visibleIds.has(question.id)}
        />
      ))}
      <div className="page-buttons">
        {mode.kind === "live" ? (
          <>
            {/* Next comes first in the markup so Enter in a text field means "Next". */}
            <button type="submit" name="_nav" value="next" disabled={pending}>
              {pending ? "Saving…" : isLast ? "Submit answers" : "Next"}
            </button>
            {isFirst ? null : (
              <button type="submit" name="_nav" value="back" className="secondary" disabled={pending} formNoValidate>
                Back
              </button>
            )}
          </>
        ) : (
          <>
            <button type="submit">Check this page</button>
            {mode.nextHref ? (
              <Link className="button secondary" href={mode.nextHref}>
                Next page (preview)
              </Link>
            ) : null}
            {mode.previousHref ? (
              <Link className="button secondary" href={mode.previousHref}>
                Previous page (preview)
              </Link>
            ) : null}
          </>
        )}
      </div>
    </form>
  );
}
