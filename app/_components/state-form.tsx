"use client";
import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/errors";
import { FormMessage, LabelledInput } from "./form-field";

type Action<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/** What a field needs after a failed submit: the value typed and its error. */
export type FormState = {
  value: (name: string, fallback?: string) => string;
  error: (name: string) => string | undefined;
  /** Every text field as submitted, after a failure (undefined before and after a success). */
  values: Record<string, string> | undefined;
};

/**
 * A form bound to a server action: shows the action's message, and after a failure gives the fields what was typed
 * and their errors (fields are uncontrolled; `key` remounts them with those values).
 */
export function StateForm<T>({
  action,
  children,
  submitLabel,
  label,
  className,
  submitClassName,
  encType,
}: {
  action: Action<T>;
  children: (form: FormState) => ReactNode;
  submitLabel: string;
  label: string;
  className?: string;
  submitClassName?: string;
  encType?: "multipart/form-data";
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const failed = state && !state.ok ? state : null;
  const form: FormState = {
    value: (name, fallback = "") => failed?.values?.[name] ?? fallback,
    error: (name) => failed?.fieldErrors?.[name],
    values: failed?.values,
  };
  return (
    <form action={formAction} aria-label={label} className={className} noValidate encType={encType}>
      <FormMessage state={state} />
      <div key={failed ? JSON.stringify(failed.values ?? {}) : state?.ok ? "saved" : "new"} className="state-form-fields">
        {children(form)}
      </div>
      <button type="submit" className={submitClassName} disabled={pending}>
        {pending ? "Working…" : submitLabel}
      </button>
    </form>
  );
}

/** A labelled text input whose value and error come from the StateForm. */
export function Field({ form, name, label, hint, defaultValue = "", id = `f-${name}` }: { form: FormState; name: string; label: string; hint?: string; defaultValue?: string; id?: string }) {
  return <LabelledInput id={id} name={name} label={label} hint={hint} error={form.error(name)} defaultValue={form.value(name, defaultValue)} />;
}

/**
 * A one-button form bound to a server action: the hidden `fields` name what it acts on, and the action's message
 * follows the button. With `confirm`, the browser asks first and nothing is sent unless the user agrees.
 */
export function ActionButton<T>({ action, fields, className, confirm, children }: { action: Action<T>; fields: Record<string, string>; className?: string; confirm?: string; children: ReactNode }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form
      action={formAction}
      className="inline-form"
      onSubmit={
        confirm
          ? (event) => {
              if (!window.confirm(confirm)) event.preventDefault();
            }
          : undefined
      }
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={className} disabled={pending}>
        {children}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
