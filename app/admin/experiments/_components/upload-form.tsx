"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { StudySelect } from "./study-select";

type LineError = { line: number; message: string };
type Answer =
  | { ok: true; imported: number; alreadyPresent: number; sets: string[]; skippedLines: LineError[]; failures: number; study: string }
  | { ok: false; error: string; lineErrors?: LineError[] };

/**
 * Uploads a runner results file to /api/experiments/import (a route handler: results files can be larger than a
 * server action accepts). The chosen file and the tick stay as they were after a refusal, so the admin can tick
 * "import the valid lines" and send again.
 */
export function UploadResultsForm({ studies, selectedStudy }: { studies: { slug: string; name: string }[]; selectedStudy?: string }) {
  const router = useRouter();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setAnswer(null);
    try {
      const response = await fetch("/api/experiments/import", { method: "POST", body: new FormData(event.currentTarget) });
      const body = (await response.json().catch(() => ({ ok: false, error: `The server answered ${response.status}.` }))) as Answer;
      setAnswer(body);
      if (body.ok) router.refresh();
    } catch {
      setAnswer({ ok: false, error: "The upload did not reach the server; check the connection and try again. Nothing was imported." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form ref={form} onSubmit={submit} encType="multipart/form-data" noValidate aria-describedby="upload-help">
      <p id="upload-help" className="muted">
        A <code>results.jsonl</code> written by <code>npm run variance -- run</code>. Every line is checked against the
        runner&apos;s schema; by default one bad line stops the whole import. Runs already imported are left as they are.
      </p>
      {answer ? (
        answer.ok ? (
          <div className="notice success" role="status">
            <p>
              Imported {answer.imported} run(s) into {answer.sets.length} set(s) of study {answer.study}
              {answer.alreadyPresent ? `; ${answer.alreadyPresent} were already there` : ""}
              {answer.skippedLines.length ? `; skipped ${answer.skippedLines.length} invalid line(s)` : ""}
              {answer.failures ? `; ${answer.failures} line(s) record failed runs (not imported)` : ""}.
            </p>
          </div>
        ) : (
          <div className="notice error" role="alert">
            <p>{answer.error}</p>
            {answer.lineErrors && answer.lineErrors.length > 0 ? (
              <ul>
                {answer.lineErrors.map((error) => (
                  <li key={error.line}>
                    Line {error.line}: {error.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )
      ) : null}
      <StudySelect id="results-study" studies={studies} selected={selectedStudy} />
      <div className="field">
        <label htmlFor="results-file">Results file</label>
        <input id="results-file" name="file" type="file" accept=".jsonl,.json,.ndjson,application/x-ndjson,text/plain" required />
      </div>
      <div className="check-row">
        <input id="import-valid" name="importValid" type="checkbox" />
        <label htmlFor="import-valid">Import the valid lines even if some lines are rejected</label>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Importing…" : "Import results"}
      </button>
    </form>
  );
}
