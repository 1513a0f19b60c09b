import type { Metadata } from "next";
import { getDatabase } from "@/lib/db";
import { hasActiveAdmin } from "@/lib/db/users";
import Link from "next/link";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (await hasActiveAdmin(await getDatabase())) {
    return (
      <div className="card narrow">
        <h1>Setup is complete</h1>
        <p>An administrator account already exists.</p>
        <Link className="button" href="/login">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="card narrow">
      <h1>Welcome to VarStudy</h1>
      <p>No administrator exists yet. Create the first one; it can then add annotators and other administrators.</p>
      <SetupForm />
    </div>
  );
}
