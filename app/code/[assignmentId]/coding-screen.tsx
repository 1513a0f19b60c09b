"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { askedQuestions, type CodebookQuestion } from "@/lib/coding/codebook";
import type { CodingTask } from "@/lib/db/coding";
import { FormMessage } from "../../_components/form-field";
import { CodebookQuestions } from "../_components/codebook-questions";
import { toDraft, type DraftAnswers } from "../_components/draft";
import styles from "../_components/coding.module.css";
import { saveCodingAction } from "../actions";
import { useKeptFormAction } from "../_components/use-kept-form";
import { webUrlOrNull } from "@/lib/security/safe-url";

const isAnswered = (question: CodebookQuestion, value: string | string[] | undefined): boolean =>
  Array.isArray(value) ? value.length > 0 : typeof value === "string" && value.trim() !== "";

/** Answers without those of questions the current answers no longer ask (e.g. after "trains DL?" changes to no). */
function cleanAnswers(questions: CodebookQuestion[], answers: DraftAnswers): DraftAnswers {
  return Object.fromEntries(questions.filter((question) => isAnswered(question, answers[question.id])).map((question) => [question.id, answers[question.id]!]));
}

/**
 * One paper with the codebook beside it. Keyboard: the option keys shown next to each answer answer the
 * highlighted question and move on; ↓/↑ (or Enter) move between questions; Shift+S saves and opens the next
 * paper; Shift+K skips it for later; Shift+N jumps to the note. Keys typed into a text field stay text.
 */
export function CodingScreen({ task }: { task: CodingTask }) {
  const { state, onSubmit, pending } = useKeptFormAction(saveCodingAction);
  const [answers, setAnswers] = useState<DraftAnswers>(() => toDraft(task.answers));
  const [note, setNote] = useState(task.note);
  const questions = useMemo(() => askedQuestions(task.codebook, answers as Record<string, string | string[]>), [task.codebook, answers]);
  const firstOpen = questions.find((question) => question.type !== "text" && !isAnswered(question, answers[question.id]));
  const [activeId, setActiveId] = useState<string | null>(firstOpen?.id ?? questions[0]?.id ?? null);
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const skipRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const readOnly = task.isLocked || task.isWaitingForCalibration;
  const hasTextQuestion = task.codebook.questions.some((question) => question.type === "text");
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  const setAnswer = useCallback((questionId: string, value: string | string[]) => setAnswers((current) => ({ ...current, [questionId]: value })), []);

  const move = useCallback(
    (step: number) => {
      const index = questions.findIndex((question) => question.id === activeId);
      const next = questions[Math.min(questions.length - 1, Math.max(0, index + step))];
      if (next) {
        setActiveId(next.id);
        document.getElementById(`q-${next.id}`)?.scrollIntoView({ block: "nearest" });
      }
    },
    [questions, activeId],
  );

  useEffect(() => {
    if (readOnly) return;
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      const isTyping = target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "radio" && (target as HTMLInputElement).type !== "checkbox"));
      if (event.key === "Escape" && isTyping) {
        (target as HTMLElement).blur();
        return;
      }
      if (isTyping || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.shiftKey && event.key === "S") {
        event.preventDefault();
        formRef.current?.requestSubmit(submitRef.current);
        return;
      }
      if (event.shiftKey && event.key === "K") {
        event.preventDefault();
        formRef.current?.requestSubmit(skipRef.current);
        return;
      }
      if (event.shiftKey && event.key === "N") {
        event.preventDefault();
        const textQuestion = questions.find((question) => question.type === "text");
        const field = textQuestion ? (document.getElementById(`q-${textQuestion.id}-input`) as HTMLTextAreaElement | null) : noteRef.current;
        field?.focus();
        return;
      }
      if (event.key === "ArrowDown" || event.key === "Enter") {
        if (event.key === "Enter" && target?.tagName === "BUTTON") return;
        event.preventDefault();
        move(1);
        return;
      }
      if (event.key === "ArrowUp") {
        event.preventDefault();
        move(-1);
        return;
      }
      const question = questions.find((item) => item.id === activeId);
      if (!question) return;
      if (question.type === "number") {
        if (/^[0-9]$/.test(event.key)) {
          event.preventDefault();
          const field = document.getElementById(`q-${question.id}-input`) as HTMLInputElement | null;
          field?.focus();
          setAnswer(question.id, `${typeof answers[question.id] === "string" ? answers[question.id] : ""}${event.key}`);
        }
        return;
      }
      const option = question.options?.find((item) => item.shortcut === event.key.toLowerCase() && !event.shiftKey);
      if (!option) return;
      event.preventDefault();
      if (question.type === "multiple-choice") {
        const current = Array.isArray(answers[question.id]) ? (answers[question.id] as string[]) : [];
        setAnswer(question.id, current.includes(option.value) ? current.filter((value) => value !== option.value) : [...current, option.value]);
        return;
      }
      const nextAnswers = { ...answers, [question.id]: option.value };
      setAnswers(nextAnswers);
      // Move to the next question the new answer asks and that is still open.
      const nextQuestions = askedQuestions(task.codebook, nextAnswers);
      const index = nextQuestions.findIndex((item) => item.id === question.id);
      const following = nextQuestions.slice(index + 1).find((item) => item.type !== "text" && !isAnswered(item, nextAnswers[item.id])) ?? nextQuestions[index + 1];
      if (following) setActiveId(following.id);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [questions, activeId, answers, move, readOnly, setAnswer, task.codebook]);

  const paper = task.paper;
  // Imported data: only web addresses become links (lib/security/safe-url.ts).
  const link = webUrlOrNull(paper.doi ? `https://doi.org/${paper.doi}` : paper.url);
  const payload = JSON.stringify(cleanAnswers(questions, answers));
  return (
    <div className={styles.layout}>
      <section className={`card ${styles.paper}`} aria-labelledby="paper-title">
        <h2 id="paper-title" style={{ marginTop: 0 }}>
          {paper.title}
        </h2>
        <p className={styles.meta}>
          {paper.authors.length > 0 ? paper.authors.join(", ") : "Authors not given"}
          <br />
          {[paper.venue, paper.year, paper.pages ? `pp. ${paper.pages}` : null, paper.track].filter(Boolean).join(" · ")}
        </p>
        {link ? (
          <p>
            <a href={link} target="_blank" rel="noreferrer noopener">
              Open the paper{paper.doi ? ` (DOI ${paper.doi})` : ""}
              <span className="sr-only"> (opens in a new tab)</span>
            </a>
          </p>
        ) : (
          <p className="muted">No DOI or link was imported for this paper; search for its title.</p>
        )}
        <h3>Abstract</h3>
        <p className={styles.abstract}>{paper.abstract ?? "No abstract was imported."}</p>
      </section>

      <section aria-labelledby="codebook-title">
        <h2 id="codebook-title" style={{ marginTop: 0 }}>
          Codebook: {task.codebook.title} <span className="muted">(v{task.codebook.version})</span>
        </h2>
        <form ref={formRef} onSubmit={onSubmit} aria-label="Your codes for this paper" noValidate>
          <FormMessage state={state} />
          <input type="hidden" name="assignmentId" value={task.assignmentId} />
          <input type="hidden" name="answers" value={payload} />
          <CodebookQuestions
            codebook={task.codebook}
            questions={questions}
            answers={answers}
            onChange={setAnswer}
            errors={errors}
            activeQuestionId={readOnly ? null : activeId}
            onActivate={setActiveId}
            idPrefix="q"
            disabled={readOnly}
            showShortcuts={!readOnly}
          />
          {hasTextQuestion ? (
            <input type="hidden" name="note" value={note} />
          ) : (
            <div className="field">
              <label htmlFor="coding-note">Note (optional)</label>
              <textarea id="coding-note" ref={noteRef} name="note" rows={3} value={note} onChange={(event) => setNote(event.target.value)} disabled={readOnly} />
            </div>
          )}
          {readOnly ? null : (
            <div className={styles.actions}>
              <button type="submit" name="intent" value="submit" ref={submitRef} disabled={pending}>
                {pending ? "Saving…" : "Save and next"} <kbd className={styles.key}>Shift+S</kbd>
              </button>
              <button type="submit" name="intent" value="skip" className="secondary" ref={skipRef} disabled={pending}>
                Skip for later <kbd className={styles.key}>Shift+K</kbd>
              </button>
              <button type="submit" name="intent" value="draft" className="secondary" disabled={pending}>
                Save draft
              </button>
            </div>
          )}
        </form>
        {readOnly ? null : (
          <details className="card" open>
            <summary>Keyboard shortcuts</summary>
            <dl className={styles.shortcuts}>
              <dt><kbd className={styles.key}>y</kbd> <kbd className={styles.key}>n</kbd> <kbd className={styles.key}>u</kbd> …</dt>
              <dd>answer the highlighted question (the key is shown beside each answer; on several-answer questions it ticks or unticks)</dd>
              <dt><kbd className={styles.key}>↓</kbd> / <kbd className={styles.key}>Enter</kbd>, <kbd className={styles.key}>↑</kbd></dt>
              <dd>next, previous question</dd>
              <dt><kbd className={styles.key}>Shift+S</kbd></dt>
              <dd>save and open the next paper</dd>
              <dt><kbd className={styles.key}>Shift+K</kbd></dt>
              <dd>skip for later</dd>
              <dt><kbd className={styles.key}>Shift+N</kbd></dt>
              <dd>write a note (<kbd className={styles.key}>Esc</kbd> leaves the text field)</dd>
            </dl>
          </details>
        )}
        {task.queue.nextAfter ? (
          <p>
            <a href={`/code/${task.queue.nextAfter}`}>Go to the next paper without saving</a>
          </p>
        ) : null}
      </section>
    </div>
  );
}
