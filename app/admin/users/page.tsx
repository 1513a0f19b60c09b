import type { Metadata } from "next";
import { requirePermissionForPage } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { listUsers } from "@/lib/db/users";
import { CreateUserForm, UserAccessForm, UserActiveForm } from "./user-forms";
import { DataTable } from "@/app/_components/data-table";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await requirePermissionForPage("users.manage", "/admin/users");
  const users = await listUsers(await getDatabase(), actor);
  return (
    <>
      <h1>Users</h1>
      <p className="lead">
        Administrators manage studies; annotators code the papers assigned to them; the adjudicator permission lets a
        user resolve coding conflicts. Changing access or deactivating a user ends their sessions at once.
      </p>
      <section className="card" aria-labelledby="new-user">
        <h2 id="new-user">Add a user</h2>
        <CreateUserForm />
      </section>
      <section aria-labelledby="all-users">
        <h2 id="all-users">All users ({users.length})</h2>
        <DataTable
          rows={users}
          rowKey={(user) => user.id}
          columns={[
            { label: "Name", cell: (user) => user.name },
            { label: "Email", cell: (user) => user.email },
            { label: "Access", cell: (user) => <UserAccessForm user={{ id: user.id, email: user.email, role: user.role, canAdjudicate: user.canAdjudicate }} /> },
            { label: "Status", cell: (user) => <UserActiveForm user={{ id: user.id, email: user.email, isActive: user.isActive }} isSelf={user.id === actor.id} /> },
            { label: "Last sign-in (UTC)", cell: (user) => user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "never" },
          ]}
        />
      </section>
    </>
  );
}
