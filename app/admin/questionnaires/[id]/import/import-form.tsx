"use client";
import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import { useHydrated } from "@/app/_components/use-hydrated";
import type { ImportPreviewOutcome } from "@/lib/db/response-imports";
import type { ResponseImportError } from "@/lib/io/response-import";
import { ImportJobStatus, isUnfinished, type ImportJob } from "./import-job-status";
import { ImportProblems } from "./import-problems";
import { MappingEditor, type MappingChoice } from "./mapping-editor";

type PreviewResult = ImportPreviewOutcome | { ok: false; errors?: ResponseImportError[]; error?: string };
type ImportResult = { ok: true; job: ImportJob } | { ok: false; errors?: ResponseImportError[]; error?: string };
type FailedImport = Extract<ImportResult, { ok: false }>;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * Upload → mapping (automatic, the last import's hand choices applied, editable) → a dry run with counts by
 * status or the problems grouped by kind → import, which runs as a job on the server that this form follows
 * (rows checked, responses written, outcome). The job checks the whole file and writes all or nothing.
 * @param runningJob the questionnaire's newest import job when it is still running (followed at once) or ended
 *   badly within the hour.
 */
export function ImportForm({ questionnaireId, runningJob }: { questionnaireId: string; runningJob?: ImportJob | null }) {
  const form = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  // An upload the server refused (nothing stored), or the job it started.
  const [result, setResult] = useState<FailedImport | null>(null);
  const [job, setJob] = useState<ImportJob | null>(runningJob ?? null);
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  // null until the admin changes the mapping: the server then applies the mapping saved by the last import.
  const [overrides, setOverrides] = useState<Record<string, string | null> | null>(null);
  const ready = useHydrated();

  const send = async (mode: "preview" | "import", mapping: Record<string, string | null> | null = overrides) => {
    if (!form.current) return;
    const data = new FormData(form.current);
    data.set("mode", mode);
    if (mapping !== null) data.set("overrides", JSON.stringify(mapping));
    setBusy(mode);
    try {
      const response = await fetch(`/api/questionnaires/${questionnaireId}/import`, { method: "POST", body: data });
      const json = await response.json().catch(() => ({ ok: false, error: `The server answered ${response.status}.` }));
      if (mode === "preview") {
        setPreview(json as PreviewResult);
        setResult(null);
      } else {
        const outcome = json as ImportResult;
        if (outcome.ok) {
          setJob(outcome.job);
          setResult(null);
        } else setResult(outcome);
      }
    } catch {
      const failure = { ok: false as const, error: "The upload failed (network). Nothing was imported; please try again." };
      if (mode === "preview") setPreview(failure);
      else setResult(failure);
    } finally {
      setBusy(null);
    }
  };

  // When a job ends the form takes its outcome (so it can preview the next file) and the server-rendered list of
  // imports below is refreshed.
  const jobFinished = useCallback(
    (finished: ImportJob) => {
      setJob(finished);
      router.refresh();
    },
    [router],
  );
  const jobRunning = job !== null && isUnfinished(job);

  const changeMapping = (key: string, choice: MappingChoice) => {
    const base = overrides ?? (preview?.ok ? { ...preview.overrides } : {});
    const next = { ...base };
    if (choice === "") delete next[key];
    else next[key] = choice;
    setOverrides(next);
    void send("preview", next);
  };

  const ok = preview?.ok ? preview : null;
  const check = ok?.check;
  return (
    <>
      <form
        ref={form}
        onSubmit={(event) => {
          event.preventDefault();
          void send("preview");
        }}
        onChange={(event) => {
          if ((event.target as HTMLElement).closest(".mapping")) return;
          setPreview(null);
          setResult(null);
          if (!jobRunning) setJob(null);
          setOverrides(null);
        }}
      >
        <div className="grid">
          <div className="field">
            <label htmlFor="import-file">CSV file</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <div className="field">
            <label htmlFor="import-format">Kind of file</label>
            <select id="import-format" name="format" defaultValue="auto">
              <option value="auto">Recognise automatically</option>
              <option value="qualtrics">Qualtrics export (choice text or numeric values)</option>
              <option value="plain">Plain CSV, one column per question</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-hidden">Answers to questions the skip logic hides</label>
            <select id="import-hidden" name="hiddenAnswers" defaultValue="error">
              <option value="error">Report them as problems</option>
              <option value="drop">Leave them out</option>
            </select>
          </div>
        </div>
        <div className="check check-row">
          <input id="import-tests" name="includeTestResponses" type="checkbox" value="on" />
          <label htmlFor="import-tests">Keep Qualtrics preview and test responses</label>
        </div>
        <button type="submit" disabled={!ready || busy !== null || jobRunning}>
          {busy === "preview" ? "Reading…" : "Preview the import"}
        </button>
      </form>

      {preview && !preview.ok ? (
        preview.errors ? (
          <ImportProblems errors={preview.errors} title="Nothing was imported." />
        ) : (
          <p className="notice error" role="alert">
            {"error" in preview ? preview.error : null}
          </p>
        )
      ) : null}

      {ok ? (
        <section aria-labelledby="mapping-title">
          <h2 id="mapping-title">Columns</h2>
          <p role="status">
            {ok.preview.format === "qualtrics" ? "Qualtrics export" : "Plain CSV"} with {plural(ok.preview.headerRowCount, "header row")} and{" "}
            {plural(ok.preview.dataRowCount, "response row")}. Dates are read as {ok.preview.timeZone ? `${ok.preview.timeZone} time (from the export)` : "UTC"}.
            {ok.usedSavedMapping && Object.keys(ok.overrides).length > 0 ? ` The hand mapping of the last import is applied (${plural(Object.keys(ok.overrides).length, "choice")}).` : ""}
          </p>
          {ok.preview.unmappedQuestionIds.length > 0 ? (
            <p className="notice">
              No column for: {ok.preview.unmappedQuestionIds.join(", ")} — their answers will be empty. Choose the column&apos;s question below if it was
              renamed.
            </p>
          ) : null}
          <MappingEditor columns={ok.preview.columns} questionIds={ok.questionIds} overrides={overrides ?? ok.overrides} onChange={changeMapping} disabled={busy !== null} />

          <h2 id="check-title">Before importing</h2>
          {check?.ok ? (
            <div className="import-counts" role="status" aria-labelledby="check-title">
              <p>Nothing has been written yet. The whole file was checked; importing will add:</p>
              <ul>
                <li>
                  <strong>{check.summary.complete}</strong> finished
                </li>
                <li>
                  <strong>{check.summary.partial}</strong> unfinished (placed on the page they stopped at)
                </li>
                <li>
                  <strong>{check.summary.includedTestResponses}</strong> preview/test kept · <strong>{check.summary.excludedTestResponses}</strong> preview/test left out
                </li>
                {check.summary.droppedHiddenAnswers > 0 ? <li>{plural(check.summary.droppedHiddenAnswers, "answer")} to hidden questions left out</li> : null}
              </ul>
              {ok.freezesDraft ? (
                <p className="notice">This questionnaire is a draft: importing freezes its current version (later edits make a new version) but does not open it to participants.</p>
              ) : null}
              <p>
                <button type="button" onClick={() => void send("import")} disabled={busy !== null || jobRunning}>
                  {busy === "import" ? "Uploading…" : `Import ${plural(check.imported, "response")}`}
                </button>
              </p>
            </div>
          ) : check ? (
            <ImportProblems errors={check.errors} title="Nothing can be imported yet." />
          ) : null}
        </section>
      ) : null}

      {result && !result.ok ? (
        result.errors ? (
          <ImportProblems errors={result.errors} title="Nothing was imported." />
        ) : (
          <p className="notice error" role="alert">
            {result.error}
          </p>
        )
      ) : null}
      {job ? <ImportJobStatus questionnaireId={questionnaireId} initial={job} onFinished={jobFinished} /> : null}
    </>
  );
}
