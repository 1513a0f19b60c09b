"use client";
import { useState } from "react";
import { SelectField } from "@/app/_components/form-field";
import { QuestionOptions } from "@/app/_components/question-options";
import { Field, StateForm } from "@/app/_components/state-form";
import { METHOD_NAMES, LEVELS } from "@/lib/dashboard/intervals";
import { formatLevel } from "@/lib/format";
import { PROPORTION_CI_METHODS } from "@/lib/stats/proportion-ci";
import { StudyOptions, type StudyOption } from "./study-options";
import { archiveQuestionnaireAction, deleteQuestionnaireAction, importHeadlinesAction, moveQuestionnaireAction, removeHeadlineAction, saveHeadlineAction } from "./actions";

export function MoveQuestionnaireForm({ questionnaireId, studies, currentStudyId }: { questionnaireId: string; studies: StudyOption[]; currentStudyId: string | null }) {
  const others = studies.filter((study) => study.id !== currentStudyId);
  if (others.length === 0) return <p className="muted">There is no other active study to move it to.</p>;
  return (
    <StateForm action={moveQuestionnaireAction} submitLabel="Move questionnaire" label="Move to another study" submitClassName="secondary">
      {(form) => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <div className="field">
            <label htmlFor="move-study">Move to study</label>
            <span className="hint" id="move-study-hint">
              Its versions and responses go with it; its results leave this study&apos;s dashboard. The move is recorded in the audit log.
            </span>
            <select id="move-study" name="studyId" defaultValue={form.value("studyId")} aria-describedby="move-study-hint">
              <StudyOptions studies={others} />
            </select>
            {form.error("studyId") ? <span className="field-error">{form.error("studyId")}</span> : null}
          </div>
        </>
      )}
    </StateForm>
  );
}

export function ArchiveQuestionnaireForm({ questionnaireId, archived }: { questionnaireId: string; archived: boolean }) {
  return (
    <StateForm action={archiveQuestionnaireAction} submitLabel={archived ? "Bring back from the archive" : "Archive questionnaire"} label="Archive" submitClassName="secondary">
      {() => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <input type="hidden" name="archived" value={archived ? "false" : "true"} />
        </>
      )}
    </StateForm>
  );
}

export function DeleteQuestionnaireForm({ questionnaireId, slug, responses }: { questionnaireId: string; slug: string; responses: number }) {
  return (
    <StateForm action={deleteQuestionnaireAction} submitLabel="Delete questionnaire" label="Delete the questionnaire" submitClassName="danger">
      {(form) => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <Field form={form} name="confirmSlug" id="delete-confirm" label={`Type its id, ${slug}, to confirm`} />
          {responses > 0 ? (
            <div className="check check-row">
              <input id="delete-responses" name="deleteResponses" type="checkbox" defaultChecked={form.value("deleteResponses") === "on"} />
              <label htmlFor="delete-responses">
                Also delete its {responses} response{responses === 1 ? "" : "s"} (export them first; this cannot be undone)
              </label>
            </div>
          ) : null}
        </>
      )}
    </StateForm>
  );
}

type ChoiceQuestion = { id: string; text: string; options: Array<{ id: string; label: string }> };

/** Defines one headline proportion: a question, the answers that count, method, level and an optional reference value. */
export function HeadlineForm({ questionnaireId, questions }: { questionnaireId: string; questions: ChoiceQuestion[] }) {
  const [questionId, setQuestionId] = useState("");
  // Kept in state (not only in the form) so a failed save keeps the ticked answers.
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) => setTicked((previous) => (on ? new Set([...previous, id]) : new Set([...previous].filter((item) => item !== id))));
  const question = questions.find((item) => item.id === questionId);
  return (
    <StateForm action={saveHeadlineAction} submitLabel="Save headline" label="Define a headline proportion">
      {(form) => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <div className="grid">
            <Field form={form} name="label" id="hl-label" label="Label" hint="What the share means, e.g. Unaware or unsure of implementation-level variance" />
            <Field form={form} name="id" id="hl-id" label="Short id" hint="Letters, digits, underscores, e.g. unaware_or_unsure" />
          </div>
          <div className="field">
            <label htmlFor="hl-question">Question</label>
            <select id="hl-question" name="question" value={questionId || form.value("question")} onChange={(event) => {
                setQuestionId(event.target.value);
                setTicked(new Set());
              }}>
              <QuestionOptions questions={questions} textLength={90} />
            </select>
            {form.error("question") ? <span className="field-error">{form.error("question")}</span> : null}
          </div>
          {question ? (
            <fieldset className="field">
              <legend>Answers that count (the share is of everyone who answered {question.id})</legend>
              {question.options.map((option) => (
                <div className="check" key={option.id}>
                  <input id={`hl-any-${option.id}`} type="checkbox" name="anyOf" value={option.id} checked={ticked.has(option.id)} onChange={(event) => toggle(option.id, event.target.checked)} />
                  <label htmlFor={`hl-any-${option.id}`}>{option.label}</label>
                </div>
              ))}
              {form.error("anyOf") ? <span className="field-error">{form.error("anyOf")}</span> : null}
            </fieldset>
          ) : null}
          <div className="grid">
            <SelectField id="hl-method" name="method" label="Interval method" defaultValue={form.value("method", "wilson")}>
              <option value="">(the reader&apos;s choice on the page)</option>
              {PROPORTION_CI_METHODS.map((method) => (
                <option key={method} value={method}>
                  {METHOD_NAMES[method]}
                </option>
              ))}
            </SelectField>
            <SelectField id="hl-level" name="level" label="Confidence level" defaultValue={form.value("level", "0.95")}>
              <option value="">(the reader&apos;s choice on the page)</option>
              {LEVELS.map((level) => (
                <option key={level} value={String(level)}>
                  {formatLevel(level)}
                </option>
              ))}
            </SelectField>
            <Field form={form} name="referencePercent" id="hl-ref" label="Reference value, % (optional)" hint="A published figure shown beside yours, never used in a computation" />
            <Field form={form} name="referenceN" id="hl-ref-n" label="Reference n (optional)" />
          </div>
        </>
      )}
    </StateForm>
  );
}

export function RemoveHeadlineForm({ questionnaireId, headlineId, label }: { questionnaireId: string; headlineId: string; label: string }) {
  return (
    <StateForm action={removeHeadlineAction} submitLabel="Remove" label={`Remove the headline ${label}`} submitClassName="secondary">
      {() => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <input type="hidden" name="headlineId" value={headlineId} />
        </>
      )}
    </StateForm>
  );
}

export function ImportHeadlinesForm({ questionnaireId }: { questionnaireId: string }) {
  return (
    <StateForm action={importHeadlinesAction} submitLabel="Import headlines" label="Import headlines" submitClassName="secondary" encType="multipart/form-data">
      {(form) => (
        <>
          <input type="hidden" name="questionnaireId" value={questionnaireId} />
          <div className="field">
            <label htmlFor="hl-file">Headlines file (YAML, as exported)</label>
            <input id="hl-file" name="file" type="file" accept=".yaml,.yml,.json,text/yaml,application/json" />
          </div>
          <div className="field">
            <label htmlFor="hl-text">Or paste it</label>
            <textarea id="hl-text" name="text" rows={5} className="code" defaultValue={form.value("text")} />
          </div>
          <p className="muted">Importing replaces every headline of this questionnaire; nothing is changed when the file has a problem.</p>
        </>
      )}
    </StateForm>
  );
}
