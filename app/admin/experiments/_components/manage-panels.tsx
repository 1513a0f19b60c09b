import { PRESETS } from "@/lib/runner/presets";
import { StartJobForm } from "./job-forms";
import { UploadResultsForm } from "./upload-form";

type StudyOption = { slug: string; name: string };

/** What a manager can do here: import a results file, or start a preset as a background job. */
export function ManagePanels({ studies, selectedStudy, defaultWorkers }: { studies: StudyOption[]; selectedStudy: string | undefined; defaultWorkers: number }) {
  return (
    <div className="grid">
      <section className="card" aria-labelledby="upload">
        <h2 id="upload">Import a results file</h2>
        <UploadResultsForm studies={studies} selectedStudy={selectedStudy} />
      </section>
      <section className="card" aria-labelledby="start">
        <h2 id="start">Start a preset</h2>
        <p className="muted">
          Runs on this server as a separate background process; you can leave the page. Results are imported when it ends, also when
          cancelled. A job still running when the server stops is marked failed at the next start (its finished runs are imported).
        </p>
        <StartJobForm
          studies={studies}
          selectedStudy={selectedStudy}
          presets={PRESETS.map(({ name, description, isStudyPreset }) => ({ name, description, isStudyPreset }))}
          defaultWorkers={defaultWorkers}
        />
      </section>
    </div>
  );
}
