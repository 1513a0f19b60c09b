import type { ActionResult } from "@/lib/errors";

type FieldProps = {
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "number" | "url" | "date";
  hint?: string;
  state?: ActionResult<unknown> | null;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
};

/** The one labelled input of the app's forms: hint and error tied to it for screen readers. */
export function LabelledInput({
  id,
  name,
  label,
  type = "text",
  hint,
  error,
  defaultValue,
  autoComplete,
  required,
}: Omit<FieldProps, "state"> & { id: string; error?: string }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        defaultValue={type === "password" ? undefined : defaultValue}
      />
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled input that shows its error beside it and keeps what was typed after a failed submit. */
export function FormField({ state, defaultValue, ...field }: FieldProps) {
  const failed = state && !state.ok ? state : null;
  return <LabelledInput {...field} id={`field-${field.name}`} error={failed?.fieldErrors?.[field.name]} defaultValue={failed?.values?.[field.name] ?? defaultValue} />;
}

/** The form-level message of an action result, announced to screen readers. */
export function FormMessage({ state }: { state: ActionResult<unknown> | null }) {
  if (!state) return null;
  if (state.ok) return state.message ? <p className="notice success" role="status">{state.message}</p> : null;
  return (
    <p className="notice error" role="alert">
      {state.error}
    </p>
  );
}
