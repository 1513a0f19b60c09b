"use client";
import { useActionState } from "react";
import { consentAction, type ConsentState } from "./actions";

/** Consent: two buttons, one form. Declining ends politely and stores nothing but a count. */
export function ConsentForm({ slug, invitationToken, agreeLabel, declineLabel }: { slug: string; invitationToken: string; agreeLabel: string; declineLabel: string }) {
  const [state, action, pending] = useActionState<ConsentState, FormData>(consentAction, null);
  return (
    <form action={action} className="consent-form">
      {state?.error ? (
        <p className="notice error" role="alert">
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="t" value={invitationToken} />
      <div className="page-buttons">
        <button type="submit" name="choice" value="agree" disabled={pending}>
          {pending ? "Starting…" : agreeLabel}
        </button>
        <button type="submit" name="choice" value="decline" className="secondary" disabled={pending}>
          {declineLabel}
        </button>
      </div>
    </form>
  );
}
