"use client";
import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/errors";
import { FormMessage } from "../../../_components/form-field";

type Action = (previous: ActionResult<{ summary: string }> | null, form: FormData) => Promise<ActionResult<{ summary: string }>>;

/**
 * A form bound to a server action that shows the action's message and keeps its fields' values after a failure
 * (the fields are uncontrolled, and the form is not reset on an error).
 */
export function ActionForm({
  action,
  children,
  submitLabel,
  label,
  className,
}: {
  action: Action;
  /** Renders the fields; `values` holds what was submitted when the action failed, for defaultValue. */
  children: (values: Record<string, string> | undefined) => ReactNode;
  submitLabel: string;
  label: string;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={formAction} aria-label={label} className={className} noValidate>
      <FormMessage state={state} />
      {children(values)}
      <button type="submit" disabled={pending}>
        {pending ? "Working…" : submitLabel}
      </button>
    </form>
  );
}
