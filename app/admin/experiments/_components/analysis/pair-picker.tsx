import { setLabel } from "../format";

type Option = { id: string; preset: string; setting: string };

function SetSelect({ name, label, sets, chosen }: { name: "a" | "b"; label: string; sets: Option[]; chosen: string }) {
  return (
    <div className="field">
      <label htmlFor={`pair-${name}`}>{label}</label>
      <select id={`pair-${name}`} name={name} defaultValue={chosen}>
        <option value="">choose a set</option>
        {sets.map((set) => (
          <option key={set.id} value={set.id}>
            {setLabel(set)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Chooses the two sets (of the current study) and the checkpoint; a GET form, so the page is a link. */
export function PairPicker({ sets, study, a, b, criterion }: { sets: Option[]; study: string; a: string; b: string; criterion: string }) {
  return (
    <form method="get" className="card pair-picker" aria-label="Choose two sets">
      <input type="hidden" name="study" value={study} />
      <div className="planner-fields">
        <SetSelect name="a" label="Set A" sets={sets} chosen={a} />
        <SetSelect name="b" label="Set B" sets={sets} chosen={b} />
        <div className="field">
          <label htmlFor="pair-criterion">Checkpoint</label>
          <select id="pair-criterion" name="criterion" defaultValue={criterion}>
            <option value="bestLoss">best validation loss</option>
            <option value="bestAccuracy">best validation accuracy</option>
          </select>
        </div>
      </div>
      <button type="submit">Analyse</button>
    </form>
  );
}
