"use client";
import type { Codebook, CodebookQuestion } from "@/lib/coding/codebook";
import styles from "./coding.module.css";

import type { DraftAnswers } from "./draft";

export type { DraftAnswers };

type Props = {
  codebook: Codebook;
  questions: CodebookQuestion[];
  answers: DraftAnswers;
  onChange: (questionId: string, value: string | string[]) => void;
  errors?: Record<string, string>;
  /** The question keyboard shortcuts apply to (coding screen); absent for the adjudication form. */
  activeQuestionId?: string | null;
  onActivate?: (questionId: string) => void;
  /** Prefix for element ids, so two renderers on one page do not collide. */
  idPrefix: string;
  disabled?: boolean;
  showShortcuts?: boolean;
};

/**
 * The asked questions of a codebook as form controls, each with its definition and examples beside it.
 * Every control is a native input, so Tab, Space and arrow keys work as everywhere; the letter shortcuts of
 * the coding screen are handled by its parent.
 */
export function CodebookQuestions({ questions, answers, onChange, errors = {}, activeQuestionId, onActivate, idPrefix, disabled, showShortcuts }: Props) {
  return (
    <>
      {questions.map((question, index) => {
        const id = `${idPrefix}-${question.id}`;
        const error = errors[question.id];
        const isActive = activeQuestionId === question.id;
        const value = answers[question.id];
        return (
          <fieldset
            key={question.id}
            id={id}
            className={`${styles.question} ${isActive ? styles.active : ""}`}
            aria-describedby={[question.definition ? `${id}-def` : null, error ? `${id}-err` : null].filter(Boolean).join(" ") || undefined}
            aria-invalid={error ? true : undefined}
            onFocus={() => onActivate?.(question.id)}
            onClick={() => onActivate?.(question.id)}
            disabled={disabled}
            data-question={question.id}
          >
            <legend>
              {index + 1}. {question.text}
              {question.required ? null : <span className="muted"> (optional)</span>}
            </legend>
            {question.definition ? (
              <p className={styles.definition} id={`${id}-def`}>
                {question.definition}
              </p>
            ) : null}
            {question.examples.length > 0 ? (
              <ul className={styles.examples} aria-label={`Examples for question ${index + 1}`}>
                {question.examples.map((example) => (
                  <li key={example.text}>
                    <strong>{example.verdict}:</strong> {example.text}
                  </li>
                ))}
              </ul>
            ) : null}
            {question.type === "number" ? (
              <div className="field">
                <label htmlFor={`${id}-input`}>
                  Number{question.min !== undefined ? ` (at least ${question.min})` : ""}
                </label>
                <input
                  id={`${id}-input`}
                  type="number"
                  inputMode="numeric"
                  min={question.min}
                  max={question.max}
                  step={question.integer ? 1 : "any"}
                  value={typeof value === "string" ? value : ""}
                  onChange={(event) => onChange(question.id, event.target.value)}
                />
              </div>
            ) : question.type === "text" ? (
              <div className="field">
                <label htmlFor={`${id}-input`} className="sr-only">
                  {question.text}
                </label>
                <textarea id={`${id}-input`} rows={3} value={typeof value === "string" ? value : ""} onChange={(event) => onChange(question.id, event.target.value)} />
              </div>
            ) : (
              <div className={styles.options}>
                {(question.options ?? []).map((option) => {
                  const isMultiple = question.type === "multiple-choice";
                  const checked = isMultiple ? Array.isArray(value) && value.includes(option.value) : value === option.value;
                  return (
                    <label key={option.value} className={styles.option}>
                      <input
                        type={isMultiple ? "checkbox" : "radio"}
                        name={id}
                        value={option.value}
                        checked={checked}
                        onChange={() => {
                          if (!isMultiple) return onChange(question.id, option.value);
                          const current = Array.isArray(value) ? value : [];
                          onChange(question.id, checked ? current.filter((item) => item !== option.value) : [...current, option.value]);
                        }}
                      />
                      {option.label}
                      {showShortcuts && option.shortcut ? (
                        <kbd className={styles.key} aria-label={`shortcut ${option.shortcut}`}>
                          {option.shortcut}
                        </kbd>
                      ) : null}
                    </label>
                  );
                })}
              </div>
            )}
            {error ? (
              <p className={styles.error} id={`${id}-err`} role="alert">
                {error}
              </p>
            ) : null}
          </fieldset>
        );
      })}
    </>
  );
}
