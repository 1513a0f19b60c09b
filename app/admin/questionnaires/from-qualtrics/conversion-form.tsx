"use client";
import { useActionState } from "react";
import { useHydrated } from "@/app/_components/use-hydrated";
import { DefinitionEditor } from "../forms";
import { convertQualtricsAction, type ConversionResult } from "./actions";

/**
 * Upload → what was carried over and what not → the definition in the editor, created in the chosen study only
 * when the admin says so.
 */
export function ConversionForm({ studies, studyId }: { studies: Array<{ id: string; name: string; slug: string }>; studyId?: string }) {
  const [state, action, pending] = useActionState<ConversionResult | null, FormData>(convertQualtricsAction, null);
  const ready = useHydrated();
  return (
    <>
      <form action={action} className="card">
        <div className="grid">
          <div className="field">
            <label htmlFor="qualtrics-file">Qualtrics survey file (.qsf) or CSV export</label>
            <input id="qualtrics-file" name="file" type="file" accept=".qsf,.json,.csv,text/csv,application/json" required />
          </div>
          <div className="field">
            <label htmlFor="qualtrics-title">Title (for a CSV export; a .qsf has its own)</label>
            <input id="qualtrics-title" name="title" type="text" maxLength={200} placeholder="From the file name" />
          </div>
        </div>
        <p className="muted small">
          The survey file (Survey → Tools → Import/Export → Export survey) carries pages, choices and display logic. An export
          (Data &amp; Analysis → Export data → CSV) only carries question ids and texts: types and choices are guessed from the answers.
        </p>
        <button type="submit" disabled={!ready || pending}>
          {pending ? "Reading…" : "Read the file"}
        </button>
      </form>

      {state && !state.ok ? (
        <p className="notice error" role="alert">
          {state.error}
        </p>
      ) : null}

      {state?.ok ? (
        <>
          <section className="card" aria-labelledby="carried-title">
            <h2 id="carried-title">What was carried over</h2>
            <p role="status">
              {state.questionCount} question{state.questionCount === 1 ? "" : "s"} from the {state.source === "qsf" ? "survey file" : "export"}.{" "}
              {state.notes.length === 0 ? "Everything was carried over." : `${state.notes.length} note${state.notes.length === 1 ? "" : "s"} below: check them before creating.`}
            </p>
            {state.notes.length > 0 ? (
              <ul className="carry-over-notes">
                {state.notes.map((note, index) => (
                  <li key={index}>
                    <strong>{note.where}</strong>: {note.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section className="card" aria-labelledby="review-title">
            <h2 id="review-title">Review and create</h2>
            <p className="muted small">
              This is the questionnaire as it will be created (a draft: nobody can answer it until you publish). You can import
              responses into it right away, without publishing.
            </p>
            <DefinitionEditor key={state.sourceText} mode="create" initialSource={state.sourceText} studies={studies} studyId={studyId} />
          </section>
        </>
      ) : null}
    </>
  );
}
