"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { isUnfinished, type JobJson } from "@/app/_components/use-followed-job";
import { PAPER_CSV_FIELDS, previewPaperCsv, type PaperColumnMapping, type PaperCsvField } from "@/lib/io/papers-csv";
import type { PaperImportOutcome } from "@/lib/db/papers";
import { DataTable } from "@/app/_components/data-table";
import { ImportReportView } from "./import-report";
import { PaperJobStatus } from "./paper-job-status";

type Preview = { headers: string[]; rows: Record<string, string>[]; rowCount: number };

const FIELD_LABELS: Record<PaperCsvField, string> = {
  title: "Title (required)",
  authors: "Authors",
  venue: "Venue",
  year: "Year",
  doi: "DOI",
  url: "URL",
  abstract: "Abstract",
  pages: "Pages",
  track: "Track / type (e.g. oral, poster)",
  entryType: "Entry type",
  sourceKey: "Identifier",
};

/**
 * Upload of a paper file. CSV files are previewed in the browser first (papaparse), with the proposed column
 * mapping to correct; the import itself runs on the server as a job, all or nothing, which this form follows to
 * its report.
 * @param runningJob the study's newest import job when it still runs (followed at once) or recently failed.
 */
export function ImportForm({ studyId, runningJob }: { studyId: string; runningJob?: JobJson | null }) {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState("auto");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewErrors, setPreviewErrors] = useState<string[]>([]);
  const [mapping, setMapping] = useState<PaperColumnMapping>({});
  const [pending, setPending] = useState(false);
  // An upload the server refused (nothing stored), or the job it started.
  const [outcome, setOutcome] = useState<PaperImportOutcome | null>(null);
  const [job, setJob] = useState<JobJson | null>(runningJob ?? null);
  const jobRunning = job !== null && isUnfinished(job);
  // The form takes the ended job (so the button is free for the next file), and the server-rendered list of
  // earlier imports gains the new one.
  const jobFinished = useCallback(
    (finished: JobJson) => {
      setJob(finished);
      router.refresh();
    },
    [router],
  );

  const isCsv = format === "csv" || (format === "auto" && /\.(csv|tsv)$/i.test(file?.name ?? ""));

  async function choose(next: File | null, nextFormat = format) {
    setFile(next);
    setOutcome(null);
    if (!jobRunning) setJob(null);
    setPreview(null);
    setPreviewErrors([]);
    if (!next) return;
    const csv = nextFormat === "csv" || (nextFormat === "auto" && /\.(csv|tsv)$/i.test(next.name));
    if (!csv) return;
    const result = previewPaperCsv(new Uint8Array(await next.arrayBuffer()), 5);
    if (!result.ok) {
      setPreviewErrors(result.errors);
      return;
    }
    setPreview({ headers: result.headers, rows: result.sampleRows, rowCount: result.rowCount });
    setMapping(result.proposedMapping);
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setOutcome({ ok: false, format: null, errors: ["Choose a BibTeX, RIS or CSV file first."] });
      return;
    }
    const body = new FormData();
    body.set("studyId", studyId);
    body.set("format", format);
    body.set("file", file);
    if (isCsv) body.set("mapping", JSON.stringify(mapping));
    setPending(true);
    setOutcome(null);
    try {
      const response = await fetch("/api/literature/import", { method: "POST", body });
      const json = (await response.json().catch(() => null)) as { ok: true; job: JobJson } | { ok: false; errors?: string[] } | null;
      if (json?.ok) setJob(json.job);
      else setOutcome({ ok: false, format: null, errors: json?.errors ?? [`The server answered ${response.status}; nothing was imported.`] });
    } catch {
      setOutcome({ ok: false, format: null, errors: ["The upload did not reach the server; check the connection and try again."] });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Import papers" noValidate>
      <div className="grid">
        <div className="field">
          <label htmlFor="paper-file">Paper file</label>
          <span className="hint" id="paper-file-hint">
            BibTeX (e.g. a DBLP export of a venue and year), RIS (reference managers) or CSV.
          </span>
          <input id="paper-file" type="file" accept=".bib,.bibtex,.ris,.enw,.csv,.tsv,.txt" aria-describedby="paper-file-hint" onChange={(event) => void choose(event.target.files?.[0] ?? null)} />
        </div>
        <div className="field">
          <label htmlFor="paper-format">Format</label>
          <select
            id="paper-format"
            value={format}
            onChange={(event) => {
              setFormat(event.target.value);
              void choose(file, event.target.value);
            }}
          >
            <option value="auto">Detect from the file</option>
            <option value="bibtex">BibTeX</option>
            <option value="ris">RIS</option>
            <option value="csv">CSV</option>
          </select>
        </div>
      </div>
      {previewErrors.length > 0 ? (
        <div className="notice error" role="alert">
          <p>This CSV file cannot be imported:</p>
          <ul>{previewErrors.map((error) => <li key={error}>{error}</li>)}</ul>
        </div>
      ) : null}
      {preview ? (
        <section aria-labelledby="mapping-title" className="card">
          <h3 id="mapping-title" style={{ marginTop: 0 }}>
            Column mapping ({preview.rowCount} rows)
          </h3>
          <p className="muted">Proposed from the header; correct it if a column went to the wrong field.</p>
          <div className="grid">
            {PAPER_CSV_FIELDS.map((field) => (
              <div className="field" key={field}>
                <label htmlFor={`map-${field}`}>{FIELD_LABELS[field]}</label>
                <select
                  id={`map-${field}`}
                  value={mapping[field] ?? ""}
                  onChange={(event) => setMapping((current) => ({ ...current, [field]: event.target.value || undefined }))}
                >
                  <option value="">(not in the file)</option>
                  {preview.headers.map((header) => (
                    <option key={header} value={header}>
                      {header}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          <h4>Preview of the first rows as they will be read</h4>
          <DataTable
            rows={preview.rows}
            rowKey={(_row, index) => String(index)}
            columns={PAPER_CSV_FIELDS.filter((field) => mapping[field]).map((field) => ({ label: field, cell: (row: Record<string, string>) => (row[mapping[field]!] ?? "").slice(0, 120) }))}
          />
        </section>
      ) : null}
      <p>
        <button type="submit" disabled={pending || jobRunning}>
          {pending ? "Uploading…" : jobRunning ? "Importing…" : "Import"}
        </button>
      </p>
      <div aria-live="polite">
        {outcome ? <ImportReportView outcome={outcome} /> : null}
        {job && !outcome ? <PaperJobStatus studyId={studyId} initial={job} onFinished={jobFinished} /> : null}
      </div>
    </form>
  );
}
