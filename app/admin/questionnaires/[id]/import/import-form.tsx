"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { MappedColumn, ResponseImportError, ResponseImportPreview, ResponseImportSummary } from "@/lib/io/response-import";

type PreviewResult = { ok: true; preview: ResponseImportPreview } | { ok: false; errors?: ResponseImportError[]; error?: string };
type ImportResult = { ok: true; imported: number; summary: ResponseImportSummary; format: string } | { ok: false; errors?: ResponseImportError[]; error?: string };

const describeTarget = (column: MappedColumn): string => {
  const t = column.target;
  switch (t.kind) {
    case "metadata":
      return `metadata: ${t.field}`;
    case "value":
      return `answer to ${t.questionId}`;
    case "option":
      return `${t.questionId}: option ${t.optionId}`;
    case "otherText":
      return `${t.questionId}: “Other” text`;
    case "matrixRow":
      return `${t.questionId}: row ${t.rowId}`;
    case "ignored":
      return `ignored (${t.reason})`;
  }
};

function Problems({ errors }: { errors: ResponseImportError[] }) {
  return (
    <div className="notice error problems" role="alert">
      <p>
        Nothing was imported. The file has {errors.length}
        {errors.length >= 500 ? " or more" : ""} problem{errors.length === 1 ? "" : "s"}; fix them and upload it again:
      </p>
      <ol>
        {errors.map((e, i) => (
          <li key={i}>
            Row {e.row}, column {e.column}
            {e.columnName ? ` (${e.columnName})` : ""}: {e.message}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Upload → mapping preview → import; the server checks the whole file and writes all responses or none. */
export function ImportForm({ questionnaireId }: { questionnaireId: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState<"preview" | "import" | null>(null);
  // Until the page is interactive a click would submit the form natively and lose the chosen file.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const send = async (mode: "preview" | "import") => {
    if (!form.current) return;
    const data = new FormData(form.current);
    data.set("mode", mode);
    setBusy(mode);
    try {
      const response = await fetch(`/api/questionnaires/${questionnaireId}/import`, { method: "POST", body: data });
      const json = await response.json().catch(() => ({ ok: false, error: `The server answered ${response.status}.` }));
      if (mode === "preview") {
        setPreview(json as PreviewResult);
        setResult(null);
      } else setResult(json as ImportResult);
    } catch {
      const failure = { ok: false as const, error: "The upload failed (network). Nothing was imported; please try again." };
      if (mode === "preview") setPreview(failure);
      else setResult(failure);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <form
        ref={form}
        onSubmit={(event) => {
          event.preventDefault();
          void send("preview");
        }}
        onChange={() => {
          setPreview(null);
          setResult(null);
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
        <button type="submit" disabled={!ready || busy !== null}>
          {busy === "preview" ? "Reading…" : "Preview the mapping"}
        </button>
      </form>

      {preview && !preview.ok ? (
        preview.errors ? (
          <Problems errors={preview.errors} />
        ) : (
          <p className="notice error" role="alert">
            {preview.error}
          </p>
        )
      ) : null}

      {preview?.ok ? (
        <section aria-labelledby="mapping-title">
          <h2 id="mapping-title">Mapping</h2>
          <p role="status">
            {preview.preview.format === "qualtrics" ? "Qualtrics export" : "Plain CSV"} with {preview.preview.headerRowCount} header row
            {preview.preview.headerRowCount === 1 ? "" : "s"} and {preview.preview.dataRowCount} response row{preview.preview.dataRowCount === 1 ? "" : "s"}.
          </p>
          {preview.preview.unmappedQuestionIds.length > 0 ? (
            <p className="notice">No column for: {preview.preview.unmappedQuestionIds.join(", ")} (their answers will be empty).</p>
          ) : null}
          <div className="table-wrap mapping">
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">Column</th>
                  <th scope="col">Header</th>
                  <th scope="col">Read as</th>
                  <th scope="col">Matched by</th>
                </tr>
              </thead>
              <tbody>
                {preview.preview.columns.map((column) => (
                  <tr key={column.column}>
                    <td className="num">{column.column}</td>
                    <td>
                      <code>{column.name}</code>
                      {column.text ? <div className="muted small">{column.text.slice(0, 100)}</div> : null}
                    </td>
                    <td>{describeTarget(column)}</td>
                    <td>{column.matchedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <button type="button" onClick={() => void send("import")} disabled={busy !== null}>
              {busy === "import" ? "Importing…" : `Import ${preview.preview.dataRowCount} responses`}
            </button>
          </p>
        </section>
      ) : null}

      {result && !result.ok ? (
        result.errors ? (
          <Problems errors={result.errors} />
        ) : (
          <p className="notice error" role="alert">
            {result.error}
          </p>
        )
      ) : null}
      {result?.ok ? (
        <p className="notice success" role="status">
          Imported {result.imported} responses ({result.summary.complete} complete, {result.summary.partial} partial
          {result.summary.excludedTestResponses ? `; ${result.summary.excludedTestResponses} test responses left out` : ""}
          {result.summary.droppedHiddenAnswers ? `; ${result.summary.droppedHiddenAnswers} hidden answers left out` : ""}).{" "}
          <Link href={`/admin/questionnaires/${questionnaireId}`}>See the counts</Link>
        </p>
      ) : null}
    </>
  );
}
