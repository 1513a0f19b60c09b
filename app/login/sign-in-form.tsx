"use client";
import { useState, type FormEvent } from "react";
import { signIn } from "next-auth/react";

const MESSAGES: Record<string, string> = {
  invalid: "That email and password do not match an active account.",
  "rate-limited": "Too many failed attempts. Wait 15 minutes, then try again.",
  AccessDenied: "That single sign-on account has no VarStudy account. Ask an administrator to create one.",
};

export function SignInForm({ returnTo, singleSignOnName }: { returnTo: string; singleSignOnName: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      window.location.assign(returnTo);
      return;
    }
    setError(MESSAGES[result?.error ?? ""] ?? "Sign-in failed. Check your email and password and try again.");
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate>
        {error ? (
          <p className="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {singleSignOnName ? (
        <p>
          <button type="button" className="secondary" onClick={() => signIn("oidc", { callbackUrl: returnTo })}>
            Sign in with {singleSignOnName}
          </button>
        </p>
      ) : null}
    </>
  );
}
