"use client";
import { startTransition, useActionState, type FormEvent } from "react";

/**
 * A form action that leaves the form as the user left it. Submitting through `<form action>` resets the form after
 * the action (React 19), which unticks the controlled radio buttons and checkboxes of the codebook while their
 * state still holds the answers: after a refused save, answers given looked cleared. Calling the action from
 * onSubmit keeps every field as typed; the submitter (Save, Skip, Draft) still travels with the form.
 */
export function useKeptFormAction<State>(action: (previous: State | null, form: FormData) => Promise<State>) {
  const [state, dispatch, pending] = useActionState<State | null, FormData>(action, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const form = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(form));
  };
  return { state, onSubmit, pending };
}
