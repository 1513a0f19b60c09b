"use client";
import { useActionState, useRef, useState } from "react";
import { FormMessage, SelectField } from "../../_components/form-field";
import { ActionButton } from "../../_components/state-form";
import { StudyOptions } from "./study-options";
import type { DefinitionFileError } from "@/lib/io/definition-file";
import { definitionSizeProblem, LIMITS } from "@/lib/validation/limits";
import {
  createInvitationsAction,
  createQuestionnaireAction,
  publishAction,
  saveDraftAction,
  setOpenAction,
  settingsAction,
  type DefinitionResult,
} from "./actions";

/** Moves the caret of a textarea to a line and column, so an error in the list leads straight to its place. */
function goTo(textarea: HTMLTextAreaElement | null, line: number, column: number) {
  if (!textarea) return;
  const lines = textarea.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i += 1) offset += (lines[i]?.length ?? 0) + 1;
  offset += Math.max(0, column - 1);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/**
 * The YAML/JSON editor of a questionnaire definition, with an upload button and the located problems listed
 * beside it (each one a button that moves the caret there). What was typed is kept when saving fails.
 */
export function DefinitionEditor({
  mode,
  questionnaireId,
  initialSource,
  studies = [],
  studyId,
}: {
  mode: "create" | "edit";
  questionnaireId?: string;
  initialSource: string;
  /** Create mode: the studies the questionnaire can be created in (the admin chooses one). */
  studies?: Array<{ id: string; name: string; slug: string }>;
  /** Create mode: the study chosen beforehand (the page's ?study=). */
  studyId?: string;
}) {
  const [state, action, pending] = useActionState<DefinitionResult | null, FormData>(mode === "create" ? createQuestionnaireAction : saveDraftAction, null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [source, setSource] = useState(initialSource);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [sizeProblem, setSizeProblem] = useState<string | null>(null);
  // Checked before posting: over the action's body limit Next would answer with an error page and lose the text.
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    const problem = definitionSizeProblem(source);
    setSizeProblem(problem);
    if (problem) {
      event.preventDefault();
      textarea.current?.focus();
    }
  };
  const errors: DefinitionFileError[] = state && !state.ok ? (state.definitionErrors ?? []) : [];
  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > LIMITS.definitionBytes) {
      setFileNote(`${file.name} is larger than ${LIMITS.definitionBytes / 1_000_000} MB; a questionnaire definition is usually a few kilobytes.`);
      return;
    }
    setSource(await file.text());
    setFileNote(`Loaded ${file.name} into the editor. Review it, then save.`);
  };
  const editorId = `definition-${mode}`;
  return (
    <form action={action} onSubmit={onSubmit} className="definition-editor">
      <FormMessage state={state} />
      {sizeProblem ? (
        <p className="notice error" role="alert" id={`definition-${mode}-size`}>
          {sizeProblem}
        </p>
      ) : null}
      {questionnaireId ? <input type="hidden" name="questionnaireId" value={questionnaireId} /> : null}
      {mode === "create" ? (
        <SelectField
          id="create-study"
          name="studyId"
          label="Study"
          hint="The questionnaire and its results belong to this study; moving it later is an explicit, audited action."
          defaultValue={(state && !state.ok ? state.values?.studyId : undefined) ?? studyId ?? ""}
          error={state && !state.ok ? state.fieldErrors?.studyId : undefined}
        >
          <StudyOptions studies={studies} />
        </SelectField>
      ) : null}
      <div className="editor-layout">
        <div className="field editor-main">
          <label htmlFor={editorId}>Definition (YAML or JSON)</label>
          <span className="hint" id={`${editorId}-hint`}>
            The format is described in data/questionnaires/README.md; data/questionnaires/pham2020.yaml is a complete example.
          </span>
          <textarea
            id={editorId}
            ref={textarea}
            name="sourceText"
            rows={22}
            spellCheck={false}
            value={source}
            onChange={(event) => setSource(event.target.value)}
            aria-describedby={`${editorId}-hint${errors.length ? ` ${editorId}-errors` : ""}`}
            aria-invalid={errors.length ? true : undefined}
            className="code"
          />
          <label htmlFor={`${editorId}-file`} className="file-label">
            Or load a file
          </label>
          <input id={`${editorId}-file`} type="file" accept=".yaml,.yml,.json,text/yaml,application/json" onChange={onFile} />
          {fileNote ? (
            <p className="muted" role="status">
              {fileNote}
            </p>
          ) : null}
        </div>
        {errors.length > 0 ? (
          <section className="editor-errors" id={`${editorId}-errors`} aria-labelledby={`${editorId}-errors-title`}>
            <h3 id={`${editorId}-errors-title`}>
              {errors.length} problem{errors.length === 1 ? "" : "s"}
            </h3>
            <ol>
              {errors.map((error, index) => (
                <li key={index}>
                  <button type="button" className="link" onClick={() => goTo(textarea.current, error.line, error.column)}>
                    Line {error.line}, column {error.column}
                  </button>
                  {error.path ? <code> {error.path}</code> : null}: {error.message}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : mode === "create" ? "Create draft" : "Save draft"}
      </button>
    </form>
  );
}

export function PublishForm({ questionnaireId, versionId, version }: { questionnaireId: string; versionId: string; version: number }) {
  return (
    <ActionButton action={publishAction} fields={{ questionnaireId, versionId }}>
      Publish version {version}
    </ActionButton>
  );
}

export function OpenForm({ questionnaireId, open }: { questionnaireId: string; open: boolean }) {
  return (
    <ActionButton action={setOpenAction} fields={{ questionnaireId, open: open ? "false" : "true" }} className={open ? "danger" : "secondary"}>
      {open ? "Close questionnaire" : "Reopen questionnaire"}
    </ActionButton>
  );
}

type Settings = { opensAt: string; closesAt: string; maxResponses: string; allowRepeat: boolean; publicLinkOpen: boolean };

export function SettingsForm({ questionnaireId, settings }: { questionnaireId: string; settings: Settings }) {
  const [state, action, pending] = useActionState(settingsAction, null);
  const failed = state && !state.ok ? state : null;
  const value = (name: keyof Settings) => failed?.values?.[name] ?? String(settings[name]);
  const error = (name: string) => failed?.fieldErrors?.[name];
  const dateField = (name: "opensAt" | "closesAt", label: string) => (
    <div className="field">
      <label htmlFor={`set-${name}`}>{label}</label>
      <input id={`set-${name}`} name={name} type="date" defaultValue={value(name)} aria-invalid={error(name) ? true : undefined} aria-describedby={error(name) ? `set-${name}-error` : undefined} />
      {error(name) ? (
        <span className="field-error" id={`set-${name}-error`}>
          {error(name)}
        </span>
      ) : null}
    </div>
  );
  return (
    <form action={action} noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="questionnaireId" value={questionnaireId} />
      <div className="grid">
        {dateField("opensAt", "Opens on (UTC, optional)")}
        {dateField("closesAt", "Closes on (UTC, optional)")}
        <div className="field">
          <label htmlFor="set-maxResponses">Stop after this many completed responses</label>
          <input
            id="set-maxResponses"
            name="maxResponses"
            type="text"
            inputMode="numeric"
            defaultValue={value("maxResponses")}
            aria-describedby={`set-maxResponses-hint${error("maxResponses") ? " set-maxResponses-error" : ""}`}
            aria-invalid={error("maxResponses") ? true : undefined}
          />
          <span className="hint" id="set-maxResponses-hint">
            Empty: no limit.
          </span>
          {error("maxResponses") ? (
            <span className="field-error" id="set-maxResponses-error">
              {error("maxResponses")}
            </span>
          ) : null}
        </div>
      </div>
      <div className="check check-row">
        <input id="set-publicLinkOpen" name="publicLinkOpen" type="checkbox" defaultChecked={failed ? failed.values?.publicLinkOpen === "on" : settings.publicLinkOpen} />
        <label htmlFor="set-publicLinkOpen">Anyone with the public link may answer (otherwise only invitation links work)</label>
      </div>
      <div className="check check-row">
        <input id="set-allowRepeat" name="allowRepeat" type="checkbox" defaultChecked={failed ? failed.values?.allowRepeat === "on" : settings.allowRepeat} />
        <label htmlFor="set-allowRepeat">Allow more than one response per browser (e.g. a shared lab computer)</label>
      </div>
      <button type="submit" className="secondary" disabled={pending}>
        Save settings
      </button>
    </form>
  );
}

export function InvitationForm({ questionnaireId }: { questionnaireId: string }) {
  const [state, action, pending] = useActionState(createInvitationsAction, null);
  const failed = state && !state.ok ? state : null;
  return (
    <form action={action} key={state?.ok ? state.data.id : "new"}>
      <FormMessage state={state} />
      <input type="hidden" name="questionnaireId" value={questionnaireId} />
      <div className="grid">
        <div className="field">
          <label htmlFor="inv-name">List name</label>
          <input id="inv-name" name="name" type="text" defaultValue={failed?.values?.name ?? ""} aria-invalid={failed?.fieldErrors?.name ? true : undefined} />
          {failed?.fieldErrors?.name ? <span className="field-error">{failed.fieldErrors.name}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="inv-file">CSV file of addresses or identifiers</label>
          <input id="inv-file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain" aria-describedby="inv-file-hint" />
          <span className="hint" id="inv-file-hint">
            First column, or a column named email or id. Or paste below.
          </span>
        </div>
      </div>
      <div className="field">
        <label htmlFor="inv-labels">Addresses or identifiers, one per line</label>
        <textarea id="inv-labels" name="labels" rows={4} defaultValue={failed?.values?.labels ?? ""} />
      </div>
      <button type="submit" className="secondary" disabled={pending}>
        {pending ? "Creating…" : "Create invitation links"}
      </button>
    </form>
  );
}
