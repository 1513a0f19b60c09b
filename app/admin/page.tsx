import type { Metadata } from "next";
import Link from "next/link";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listUsers } from "@/lib/db/users";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const actor = await requirePermissionForPage("surveys.read-results", "/admin");
  const users = await listUsers(await getDatabase(), actor);
  const active = users.filter((user) => user.isActive);
  const admins = active.filter((user) => user.role === "ADMIN").length;
  const annotators = active.filter((user) => user.role === "ANNOTATOR").length;
  const adjudicators = active.filter((user) => user.canAdjudicate).length;
  return (
    <>
      <h1>Dashboard</h1>
      <p className="lead">The study&apos;s instruments and their results.</p>
      <div className="grid">
        <section className="card" aria-labelledby="team">
          <h2 id="team">Team</h2>
          <p>
            {admins} administrator{admins === 1 ? "" : "s"}, {annotators} annotator{annotators === 1 ? "" : "s"},{" "}
            {adjudicators} with the adjudicator permission.
          </p>
          <Link href="/admin/users">Manage users</Link>
        </section>
      </div>
    </>
  );
}
