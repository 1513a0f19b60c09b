import { FieldFrame } from "@/app/_components/form-field";

/** What a written reason of the adjudication form asks. */
export type ReasonSpec = { id: string; name: string; label: string; hint: string; rows: number };

/** A written reason of the adjudication form, kept as typed (controlled), with the data layer's error beside it. */
export function ReasonField({ spec, value, onChange, error }: { spec: ReasonSpec; value: string; onChange: (value: string) => void; error: string | undefined }) {
  return (
    <FieldFrame id={spec.id} label={spec.label} hint={spec.hint} error={error}>
      {(control) => <textarea {...control} name={spec.name} rows={spec.rows} value={value} onChange={(event) => onChange(event.target.value)} />}
    </FieldFrame>
  );
}
