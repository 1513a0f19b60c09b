import type { ReactNode } from "react";
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

/** What a form control needs to be tied to its label, hint and error. */
export type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * The frame of every labelled field: the label, the hint and the error, tied to the control for screen readers.
 * The control itself (an input, a textarea) is drawn by `children` with the props it needs.
 */
export function FieldFrame({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: (control: ControlProps) => ReactNode }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

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
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(control) => <input {...control} name={name} type={type} autoComplete={autoComplete} required={required} defaultValue={type === "password" ? undefined : defaultValue} />}
    </FieldFrame>
  );
}

/** The one labelled select of the app's forms: the options are its children; hint and error as for an input. */
export function SelectField({
  id,
  name,
  label,
  hint,
  error,
  defaultValue,
  required,
  children,
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(control) => (
        <select {...control} name={name} defaultValue={defaultValue} required={required}>
          {children}
        </select>
      )}
    </FieldFrame>
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
