import type { Metadata } from "next";
import { requirePermissionForPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Coding" };
export const dynamic = "force-dynamic";

export default async function CodingPage() {
  const user = await requirePermissionForPage("coding.code", "/code");
  return (
    <>
      <h1>Your coding queue</h1>
      <p className="lead">
        Papers assigned to you, {user.name}, appear here one at a time with the codebook beside them. You never see
        another annotator&apos;s codes.
      </p>
      <div className="card">
        <p>No papers are assigned to you yet.</p>
      </div>
    </>
  );
}
