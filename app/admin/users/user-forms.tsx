"use client";
import { useActionState } from "react";
import { FormField, FormMessage } from "../../_components/form-field";
import { createUserAction, setUserActiveAction, updateUserAccessAction } from "./actions";

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, null);
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} noValidate key={state?.ok ? state.data.email : "new"}>
      <FormMessage state={state} />
      <div className="grid">
        <FormField name="name" label="Name" state={state} required />
        <FormField name="email" label="Email" type="email" state={state} required />
        <FormField name="password" label="Initial password" type="password" hint="At least 10 characters." state={state} autoComplete="new-password" required />
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" name="role" defaultValue={values?.role ?? "ANNOTATOR"}>
          <option value="ANNOTATOR">Annotator</option>
          <option value="ADMIN">Administrator</option>
        </select>
      </div>
      <div className="field check">
        <input id="new-adjudicate" name="canAdjudicate" type="checkbox" defaultChecked={values?.canAdjudicate === "on"} />
        <label htmlFor="new-adjudicate">May adjudicate coding conflicts</label>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </button>
    </form>
  );
}

type AccessUser = { id: string; email: string; role: "ADMIN" | "ANNOTATOR"; canAdjudicate: boolean };

export function UserAccessForm({ user }: { user: AccessUser }) {
  const [state, action, pending] = useActionState(updateUserAccessAction, null);
  return (
    <form action={action} className="inline-form" aria-label={`Access of ${user.email}`}>
      <input type="hidden" name="userId" value={user.id} />
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
        <option value="ANNOTATOR">Annotator</option>
        <option value="ADMIN">Administrator</option>
      </select>
      <span className="check">
        <input id={`adj-${user.id}`} name="canAdjudicate" type="checkbox" defaultChecked={user.canAdjudicate} />
        <label htmlFor={`adj-${user.id}`}>Adjudicator</label>
      </span>
      <button type="submit" className="secondary" disabled={pending}>
        Save
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function UserActiveForm({ user, isSelf }: { user: { id: string; email: string; isActive: boolean }; isSelf: boolean }) {
  const [state, action, pending] = useActionState(setUserActiveAction, null);
  return (
    <form action={action} className="inline-form" aria-label={`Status of ${user.email}`}>
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="isActive" value={user.isActive ? "false" : "true"} />
      <span className={user.isActive ? "badge" : "badge inactive"}>{user.isActive ? "Active" : "Deactivated"}</span>
      {isSelf ? null : (
        <button type="submit" className={user.isActive ? "danger" : "secondary"} disabled={pending}>
          {user.isActive ? `Deactivate` : `Reactivate`}
          <span className="sr-only"> {user.email}</span>
        </button>
      )}
      <FormMessage state={state} />
    </form>
  );
}
