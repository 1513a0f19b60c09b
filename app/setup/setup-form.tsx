"use client";
import Link from "next/link";
import { useActionState } from "react";
import { FormField, FormMessage } from "../_components/form-field";
import { createFirstAdminAction } from "./actions";

export function SetupForm() {
  const [state, action, pending] = useActionState(createFirstAdminAction, null);
  if (state?.ok) {
    return (
      <>
        <FormMessage state={state} />
        <Link className="button" href="/login">
          Sign in
        </Link>
      </>
    );
  }
  return (
    <form action={action} noValidate>
      <FormMessage state={state} />
      <FormField name="name" label="Your name" state={state} autoComplete="name" required />
      <FormField name="email" label="Email" type="email" state={state} autoComplete="username" required />
      <FormField name="password" label="Password" type="password" hint="At least 10 characters." state={state} autoComplete="new-password" required />
      <FormField name="confirmPassword" label="Repeat the password" type="password" state={state} autoComplete="new-password" required />
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create administrator"}
      </button>
    </form>
  );
}
