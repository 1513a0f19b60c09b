import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { oidcSettings } from "@/lib/env";
import { safeReturnPath } from "@/lib/auth/return-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const returnTo = safeReturnPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  if (await getCurrentUser()) redirect(returnTo);
  const oidc = oidcSettings();
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {params.signedOut ? <p className="notice success" role="status">You have signed out.</p> : null}
      <SignInForm returnTo={returnTo} singleSignOnName={oidc?.name ?? null} />
    </div>
  );
}
