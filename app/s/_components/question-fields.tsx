"use client";
/**
 * One question as a participant sees it. Choice questions are a fieldset with a legend (screen readers read
 * the question with each option); every input is labelled; a question's error is linked to its inputs with
 * aria-describedby. Field names follow lib/survey/answers.ts (q.<id>, q.<id>.other, q.<id>.<row>).
 */
import type { ReactNode } from "react";
import type { ChoiceOption, Question } from "@/lib/survey/definition";
import { fieldName, matrixFieldName, otherFieldName, type FormFields } from "@/lib/survey/answers";
import { LIMITS } from "@/lib/validation/limits";
import { orderMatrixRows, orderOptions, type PresentationOrder } from "@/lib/survey/randomize";

type Props = { question: Question; fields: FormFields; error?: string; presentation?: PresentationOrder; hidden?: boolean };

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? "") : (value ?? ""));
const many = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? [value] : []);

function Required({ required }: { required: boolean }) {
  if (!required) return <span className="optional"> (optional)</span>;
  return (
    <>
      <span aria-hidden="true" className="required-mark">
        {" "}
        *
      </span>
      <span className="sr-only"> (required)</span>
    </>
  );
}

function Shell({ question, error, hidden, children, group }: { question: Question; error?: string; hidden?: boolean; children: ReactNode; group: boolean }) {
  const descriptionId = question.description ? `q-${question.id}-desc` : undefined;
  const errorId = error ? `q-${question.id}-error` : undefined;
  const heading = (
    <>
      <span className="question-text">{question.text}</span>
      <Required required={question.required} />
    </>
  );
  const extra = (
    <>
      {question.description ? (
        <p className="question-help" id={descriptionId}>
          {question.description}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </>
  );
  if (group) {
    return (
      <div className={`question${error ? " has-error" : ""}`} id={`q-${question.id}`} hidden={hidden}>
        <fieldset aria-describedby={[descriptionId, errorId].filter(Boolean).join(" ") || undefined} aria-invalid={error ? true : undefined}>
          <legend>{heading}</legend>
          {extra}
          {children}
        </fieldset>
      </div>
    );
  }
  return (
    <div className={`question${error ? " has-error" : ""}`} id={`q-${question.id}`} hidden={hidden}>
      <label className="question-label" htmlFor={`in-${question.id}`}>
        {heading}
      </label>
      {extra}
      {children}
    </div>
  );
}

function OtherText({ question, fields, chosen }: { question: Question; fields: FormFields; chosen: boolean }) {
  if (!("other" in question) || !question.other) return null;
  return (
    <div className="other-text">
      <label htmlFor={`in-${question.id}-other`} className="sr-only">
        {question.other.label}: your answer
      </label>
      <input
        id={`in-${question.id}-other`}
        type="text"
        name={otherFieldName(question.id)}
        defaultValue={one(fields[otherFieldName(question.id)])}
        placeholder="Please specify"
        maxLength={LIMITS.otherTextChars}
        aria-describedby={chosen ? undefined : `in-${question.id}-other-hint`}
      />
      {chosen ? null : (
        <span className="sr-only" id={`in-${question.id}-other-hint`}>
          Used only when you choose {question.other.label}.
        </span>
      )}
    </div>
  );
}

function ChoiceList({ question, options, fields, multiple, describedBy }: { question: Question & { other?: { label: string } }; options: ChoiceOption[]; fields: FormFields; multiple: boolean; describedBy?: string }) {
  const name = fieldName(question.id);
  const selected = many(fields[name]);
  const all = [...options.map((o) => ({ id: o.id, label: o.label })), ...(question.other ? [{ id: "other", label: question.other.label }] : [])];
  return (
    <ul className="choices">
      {all.map((option) => {
        const id = `in-${question.id}-${option.id}`;
        return (
          <li key={option.id}>
            <input
              id={id}
              type={multiple ? "checkbox" : "radio"}
              name={name}
              value={option.id}
              defaultChecked={selected.includes(option.id)}
              aria-describedby={describedBy}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.id === "other" ? <OtherText question={question} fields={fields} chosen={selected.includes("other")} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Renders one question with its current field values and error. */
export function QuestionFields({ question, fields, error, presentation, hidden }: Props) {
  const errorId = error ? `q-${question.id}-error` : undefined;
  switch (question.type) {
    case "single_choice":
    case "multiple_choice":
    case "binned_estimate":
      return (
        <Shell question={question} error={error} hidden={hidden} group>
          {question.type === "binned_estimate" && question.unit ? <p className="question-help">Differences in {question.unit}.</p> : null}
          <ChoiceList question={question} options={orderOptions(question, presentation)} fields={fields} multiple={question.type === "multiple_choice"} />
        </Shell>
      );
    case "likert": {
      const name = fieldName(question.id);
      const value = one(fields[name]);
      return (
        <Shell question={question} error={error} hidden={hidden} group>
          <ul className="likert">
            {Array.from({ length: question.points }, (_, index) => {
              const point = String(index + 1);
              const id = `in-${question.id}-${point}`;
              const label = question.labels[point];
              return (
                <li key={point}>
                  <input id={id} type="radio" name={name} value={point} defaultChecked={value === point} />
                  <label htmlFor={id}>
                    <span className="point">{point}</span>{label ? " " : null}
                    {label ? <span className="point-label">{label}</span> : null}
                  </label>
                </li>
              );
            })}
          </ul>
        </Shell>
      );
    }
    case "numeric": {
      const range =
        question.min !== undefined && question.max !== undefined
          ? `A number from ${question.min} to ${question.max}${question.unit ? ` ${question.unit}` : ""}.`
          : question.unit
            ? `In ${question.unit}.`
            : undefined;
      return (
        <Shell question={question} error={error} hidden={hidden} group={false}>
          {range ? (
            <p className="question-help" id={`in-${question.id}-range`}>
              {range}
            </p>
          ) : null}
          <span className="with-unit">
            <input
              id={`in-${question.id}`}
              name={fieldName(question.id)}
              type="text"
              inputMode={question.integer ? "numeric" : "decimal"}
              autoComplete="off"
              defaultValue={one(fields[fieldName(question.id)])}
              aria-invalid={error ? true : undefined}
              aria-describedby={[range ? `in-${question.id}-range` : null, errorId].filter(Boolean).join(" ") || undefined}
              aria-required={question.required || undefined}
            />
            {question.unit ? <span aria-hidden="true">{question.unit}</span> : null}
          </span>
        </Shell>
      );
    }
    case "short_text":
    case "long_text": {
      const common = {
        id: `in-${question.id}`,
        name: fieldName(question.id),
        defaultValue: one(fields[fieldName(question.id)]),
        maxLength: question.maxLength,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": errorId,
        "aria-required": question.required || undefined,
      };
      return (
        <Shell question={question} error={error} hidden={hidden} group={false}>
          {question.type === "long_text" ? <textarea rows={5} {...common} /> : <input type="text" {...common} />}
        </Shell>
      );
    }
    case "matrix": {
      const rows = orderMatrixRows(question, presentation);
      return (
        <Shell question={question} error={error} hidden={hidden} group>
          <div className="matrix">
            {rows.map((row) => {
              const name = matrixFieldName(question.id, row.id);
              const value = one(fields[name]);
              return (
                <fieldset key={row.id} className="matrix-row">
                  <legend>{row.label}</legend>
                  <ul className="likert">
                    {question.columns.map((column) => {
                      const id = `in-${question.id}-${row.id}-${column.id}`;
                      return (
                        <li key={column.id}>
                          <input id={id} type="radio" name={name} value={column.id} defaultChecked={value === column.id} />
                          <label htmlFor={id}>{column.label}</label>
                        </li>
                      );
                    })}
                  </ul>
                </fieldset>
              );
            })}
          </div>
        </Shell>
      );
    }
  }
}
