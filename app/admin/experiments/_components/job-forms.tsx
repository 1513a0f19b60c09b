"use client";
import { useActionState } from "react";
import { FormField, FormMessage, SelectField } from "../../../_components/form-field";
import { ActionButton } from "../../../_components/state-form";
import { cancelRunnerJobAction, deleteExperimentSetAction, moveExperimentSetAction, startRunnerJobAction } from "../actions";
import { StudyOptions, StudySelect } from "./study-select";

type PresetOption = { name: string; description: string; isStudyPreset: boolean };

/** Start a preset as a background job. Typed values come back after a refusal. */
export function StartJobForm({
  presets,
  defaultWorkers,
  studies,
  selectedStudy,
}: {
  presets: PresetOption[];
  defaultWorkers: number;
  studies: { slug: string; name: string }[];
  selectedStudy?: string;
}) {
  const [state, action, pending] = useActionState(startRunnerJobAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const error = (name: string) => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  const quick = presets.filter((preset) => !preset.isStudyPreset);
  const study = presets.filter((preset) => preset.isStudyPreset);
  return (
    <form action={action} noValidate>
      <FormMessage state={state} />
      <StudySelect id="job-study" studies={studies} selected={values?.study ?? selectedStudy} />
      <div className="grid">
        <SelectField
          // Remounted with what was sent: React's form reset puts a select back to its first defaultValue otherwise.
          key={`preset-${values?.preset ?? ""}`}
          id="job-preset"
          name="preset"
          label="Preset"
          defaultValue={values?.preset ?? quick[0]?.name}
          error={error("preset")}
        >
          {(
            [
              ["Quick (minutes)", quick],
              ["The study's full experiments (hours to days; real data)", study],
            ] as const
          ).map(([group, presets]) => (
            <optgroup key={group} label={group}>
              {presets.map((preset) => (
                <option key={preset.name} value={preset.name}>
                  {preset.name}: {preset.description}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <SelectField key={`setting-${values?.setting ?? ""}`} id="job-setting" name="setting" label="Setting" defaultValue={values?.setting ?? "both"}>
          <option value="both">both (default and fixed-seed)</option>
          <option value="default">default (fresh randomness every run)</option>
          <option value="fixed-seed">fixed-seed (all algorithmic randomness fixed)</option>
          <option value="cross-implementation">cross-implementation (fixed seeds, several implementations)</option>
        </SelectField>
        <FormField name="runs" label="Runs per set" type="number" state={state} defaultValue="16" hint="The study used 16. Not used by a cross-implementation set (repeats × implementations)." required />
        <FormField name="workers" label="Parallel workers" type="number" state={state} defaultValue={String(defaultWorkers)} hint="One training per worker process; the server's cores are shared." required />
      </div>
      <details open={values?.setting === "cross-implementation" ? true : undefined}>
        <summary>Cross-implementation (only for that setting)</summary>
        <div className="grid">
          <FormField
            name="implementations"
            label="Implementations"
            state={state}
            hint="Comma-separated backend[:threads=N][:onednn=on|off], e.g. wasm,tensorflow:threads=1:onednn=off,tensorflow:threads=2:onednn=on. Backends: wasm, cpu (pure JavaScript, about 100 times slower) and tensorflow (where npm run setup:tensorflow installed it)."
          />
          <FormField name="repeats" label="Repeats per implementation" type="number" state={state} hint="Default 2: two repeats also audit each implementation's determinism. The set has repeats × implementations runs." />
        </div>
      </details>
      <details>
        <summary>Overrides (optional; empty = the preset&apos;s value)</summary>
        <div className="grid">
          <FormField name="epochs" label="Epochs" type="number" state={state} />
          <FormField name="trainSize" label="Training images" type="number" state={state} />
          <FormField name="validationSize" label="Validation images" type="number" state={state} />
          <FormField name="testSize" label="Test images" type="number" state={state} />
          <FormField name="seed" label="Fixed-seed master seed" type="number" state={state} hint="Default 42." />
        </div>
      </details>
      <div className="check-row">
        <input id="job-allow-study" name="allowStudyPresets" type="checkbox" defaultChecked={values?.allowStudyPresets === "on"} />
        <label htmlFor="job-allow-study">Allow full study presets (long; need the datasets in data/datasets)</label>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Starting…" : "Start job"}
      </button>
    </form>
  );
}

export function CancelJobButton({ jobId, label }: { jobId: string; label: string }) {
  return (
    <ActionButton action={cancelRunnerJobAction} fields={{ jobId }} className="danger">
      Cancel<span className="sr-only"> {label}</span>
    </ActionButton>
  );
}

export function DeleteSetButton({ setId }: { setId: string }) {
  return (
    <ActionButton action={deleteExperimentSetAction} fields={{ setId }} className="danger" confirm={`Delete set ${setId} and its runs? Re-importing the results file brings it back.`}>
      Delete this set
    </ActionButton>
  );
}

/** Moves a set to another study: an explicit choice with a reason, recorded in the audit log. */
export function MoveSetForm({ setId, studies, currentSlug }: { setId: string; studies: { slug: string; name: string }[]; currentSlug: string | null }) {
  const [state, action, pending] = useActionState(moveExperimentSetAction, null);
  const others = studies.filter((study) => study.slug !== currentSlug);
  if (others.length === 0) return null;
  return (
    <form action={action} aria-label="Move the set to another study">
      <FormMessage state={state} />
      <input type="hidden" name="setId" value={setId} />
      <SelectField id="move-study" name="study" label="Move to study" defaultValue="">
        <option value="">Choose a study…</option>
        <StudyOptions studies={others} />
      </SelectField>
      <div className="field">
        <label htmlFor="move-reason">Reason (kept in the audit log)</label>
        <input id="move-reason" name="reason" type="text" maxLength={2000} />
      </div>
      <button type="submit" className="secondary" disabled={pending}>
        Move the set
      </button>
    </form>
  );
}
