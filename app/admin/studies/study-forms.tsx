"use client";
import { Field, StateForm } from "@/app/_components/state-form";
import { archiveStudyAction, createStudyAction, renameStudyAction } from "./actions";

export function CreateStudyForm() {
  return (
    <StateForm action={createStudyAction} submitLabel="Create study" label="Create a study">
      {(form) => (
        <div className="grid">
          <Field form={form} name="name" label="Name" hint="e.g. Variance awareness survey 2027" />
          <Field form={form} name="slug" label="Short name (in links)" hint="Lower-case letters, digits and dashes, e.g. variance-2027. It cannot change later." />
          <Field form={form} name="description" label="Description (optional)" />
        </div>
      )}
    </StateForm>
  );
}

export function RenameStudyForm({ studyId, name, description }: { studyId: string; name: string; description: string }) {
  return (
    <StateForm action={renameStudyAction} submitLabel="Save name" label={`Rename ${name}`} submitClassName="secondary">
      {(form) => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          <div className="grid">
            <Field form={form} id={`name-${studyId}`} name="name" label="Name" defaultValue={name} />
            <Field form={form} id={`description-${studyId}`} name="description" label="Description" defaultValue={description} />
          </div>
        </>
      )}
    </StateForm>
  );
}

export function ArchiveStudyForm({ studyId, archived, name }: { studyId: string; archived: boolean; name: string }) {
  return (
    <StateForm action={archiveStudyAction} submitLabel={archived ? "Bring back" : "Archive study"} label={`${archived ? "Bring back" : "Archive"} ${name}`} submitClassName={archived ? "secondary" : "danger"}>
      {() => (
        <>
          <input type="hidden" name="studyId" value={studyId} />
          <input type="hidden" name="archived" value={archived ? "false" : "true"} />
        </>
      )}
    </StateForm>
  );
}
