/** A written reason of the adjudication form: label, hint and the data layer's error tied to the field for screen readers. */
export function ReasonField({
  id,
  name,
  label,
  hint,
  rows,
  value,
  onChange,
  error,
}: {
  id: string;
  name: string;
  label: string;
  hint: string;
  rows: number;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? true : undefined}
      />
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
