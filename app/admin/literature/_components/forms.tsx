"use client";
import { useState } from "react";
import { assignCodersAction, createStudyAction, drawSampleAction, extendSampleAction, installCodebookAction, savePopulationAction } from "../actions";
import { StateForm } from "@/app/_components/state-form";

export function CreateStudyForm() {
  return (
    <StateForm action={createStudyAction} submitLabel="Create study" label="Create a study">
      {({ values }) => (
        <div className="grid">
          <div className="field">
            <label htmlFor="study-name">Name</label>
            <input id="study-name" name="name" type="text" defaultValue={values?.name ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="study-slug">Short name</label>
            <span className="hint">Lower-case letters, digits and dashes, e.g. dl-variance-2026.</span>
            <input id="study-slug" name="slug" type="text" defaultValue={values?.slug ?? ""} />
          </div>
        </div>
      )}
    </StateForm>
  );
}

/** A YAML/JSON definition editor (population or codebook); errors come back with line and column. */
export function DefinitionForm({ studyId, source, kind }: { studyId: string; source: string; kind: "population" | "codebook" }) {
  const id = `${kind}-source`;
  return (
    <StateForm
      action={kind === "population" ? savePopulationAction : installCodebookAction}
      submitLabel={kind === "population" ? "Save and re-sort papers" : "Install this codebook version"}
      label={kind === "population" ? "Population definition" : "Codebook"}
    >
      {({ values }) => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          <div className="field">
            <label htmlFor={id}>{kind === "population" ? "Population definition (YAML)" : "Codebook (YAML)"}</label>
            <span className="hint">
              {kind === "population"
                ? "Strata with their venues and aliases, excluded tracks (e.g. poster) and venue words (e.g. workshop), and an optional year range. See data/codebooks/README.md."
                : "Raise the version whenever a question's meaning changes; codes keep the version they answered."}
            </span>
            <textarea id={id} name="sourceText" rows={18} spellCheck={false} style={{ fontFamily: "ui-monospace, monospace", fontSize: "0.85rem" }} defaultValue={values?.sourceText ?? source} />
          </div>
        </>
      )}
    </StateForm>
  );
}

type StratumSize = { id: string; label: string; size: number; suggested: number | null };

export function DrawForm({ studyId, strata, defaultSeed }: { studyId: string; strata: StratumSize[]; defaultSeed: number }) {
  const [kind, setKind] = useState("stratified-fixed");
  return (
    <StateForm action={drawSampleAction} submitLabel="Draw the sample" label="Draw a sample">
      {({ values }) => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          <fieldset className="field">
            <legend>Design</legend>
            {[
              ["stratified-fixed", "Stratified, a chosen size per stratum"],
              ["stratified-proportional", "Stratified, a total split in proportion to stratum sizes"],
              ["simple", "Simple random sample of the whole population"],
            ].map(([value, label]) => (
              <span className="check" key={value}>
                <input type="radio" id={`kind-${value}`} name="kind" value={value} checked={kind === value} onChange={() => setKind(value!)} />
                <label htmlFor={`kind-${value}`}>{label}</label>
              </span>
            ))}
          </fieldset>
          {kind === "stratified-fixed" ? (
            <div className="grid">
              {strata.map((stratum) => (
                <div className="field" key={stratum.id}>
                  <label htmlFor={`size-${stratum.id}`}>
                    {stratum.label}: papers to sample (of {stratum.size})
                  </label>
                  <input id={`size-${stratum.id}`} name={`size:${stratum.id}`} type="number" min={0} max={stratum.size} defaultValue={values?.[`size:${stratum.id}`] ?? String(stratum.suggested ?? "")} />
                </div>
              ))}
            </div>
          ) : (
            <div className="field">
              <label htmlFor="draw-n">Total sample size</label>
              <input id="draw-n" name="n" type="number" min={0} defaultValue={values?.n ?? ""} />
            </div>
          )}
          <div className="field">
            <label htmlFor="draw-seed">Random seed</label>
            <span className="hint">Recorded with the sample: the same seed and population give the same papers.</span>
            <input id="draw-seed" name="seed" type="number" min={0} defaultValue={values?.seed ?? String(defaultSeed)} />
          </div>
        </>
      )}
    </StateForm>
  );
}

export function ExtendForm({ studyId, isSimple, strata }: { studyId: string; isSimple: boolean; strata: { id: string; label: string }[] }) {
  return (
    <StateForm action={extendSampleAction} submitLabel="Add papers to the sample" label="Extend the sample">
      {({ values }) => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          {isSimple ? (
            <div className="field">
              <label htmlFor="extend-total">More papers</label>
              <input id="extend-total" name="additional" type="number" min={0} defaultValue={values?.additional ?? ""} />
            </div>
          ) : (
            <div className="grid">
              {strata.map((stratum) => (
                <div className="field" key={stratum.id}>
                  <label htmlFor={`more-${stratum.id}`}>More from {stratum.label}</label>
                  <input id={`more-${stratum.id}`} name={`more:${stratum.id}`} type="number" min={0} defaultValue={values?.[`more:${stratum.id}`] ?? "0"} />
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </StateForm>
  );
}

export function AssignForm({
  studyId,
  coders,
  hasCalibration,
  unassigned,
  defaultSeed,
}: {
  studyId: string;
  coders: { id: string; name: string; email: string }[];
  hasCalibration: boolean;
  unassigned: number;
  defaultSeed: number;
}) {
  return (
    <StateForm action={assignCodersAction} submitLabel={`Assign ${unassigned} paper(s)`} label="Assign coders">
      {({ values }) => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          <fieldset className="field">
            <legend>Coders</legend>
            {coders.map((coder) => (
              <span className="check" key={coder.id}>
                <input type="checkbox" id={`coder-${coder.id}`} name="coderId" value={coder.id} defaultChecked={values ? undefined : false} />
                <label htmlFor={`coder-${coder.id}`}>
                  {coder.name} <span className="muted">({coder.email})</span>
                </label>
              </span>
            ))}
          </fieldset>
          <div className="grid">
            <div className="field">
              <label htmlFor="assign-k">Coders per paper</label>
              <input id="assign-k" name="codersPerPaper" type="number" min={2} defaultValue={values?.codersPerPaper ?? "2"} />
            </div>
            <div className="field">
              <label htmlFor="assign-calibration">Calibration papers (coded by every coder first)</label>
              {hasCalibration ? <span className="hint">The calibration round is set up already; use 0.</span> : null}
              <input id="assign-calibration" name="calibrationSize" type="number" min={0} defaultValue={values?.calibrationSize ?? (hasCalibration ? "0" : String(Math.min(10, Math.floor(unassigned / 10))))} />
            </div>
            <div className="field">
              <label htmlFor="assign-seed">Random seed</label>
              <input id="assign-seed" name="seed" type="number" min={0} defaultValue={values?.seed ?? String(defaultSeed)} />
            </div>
          </div>
        </>
      )}
    </StateForm>
  );
}
