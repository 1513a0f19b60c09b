"use client";
import { useActionState } from "react";
import type { ImportListItem } from "@/lib/db/response-imports";
import { undoImportAction } from "./actions";
import { DataTable } from "@/app/_components/data-table";
import { formatDateTime } from "@/lib/format";

function UndoButton({ questionnaireId, item }: { questionnaireId: string; item: ImportListItem }) {
  const [state, action, pending] = useActionState(undoImportAction, null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(`Remove all ${item.responseCount} responses imported from ${item.fileName}? This is recorded in the audit log.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="questionnaireId" value={questionnaireId} />
      <input type="hidden" name="importId" value={item.id} />
      <button type="submit" className="secondary" disabled={pending}>
        {pending ? "Undoing…" : "Undo this import"}
      </button>
      {state && !state.ok ? (
        <p className="notice error" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** Earlier imports into this questionnaire, each undoable as a whole. */
export function ImportsList({ questionnaireId, imports }: { questionnaireId: string; imports: ImportListItem[] }) {
  if (imports.length === 0) return <p className="muted">No imports yet.</p>;
  return (
    <DataTable
      rows={imports}
      rowKey={(item) => item.id}
      columns={[
        { label: "File", cell: (item) => <><code>{item.fileName}</code> <span className="muted small">({item.format})</span></> },
        { label: "Imported (UTC)", cell: (item) => formatDateTime(item.createdAt) },
        { label: "Responses", numeric: true, cell: (item) => <>{item.undoneAt ? `0 of ${item.rowCount}` : item.responseCount}</> },
        { label: "Dates read in", cell: (item) => item.timeZone ?? "UTC" },
        { label: "State", cell: (item) => <>{item.undoneAt ? `undone ${formatDateTime(item.undoneAt)}` : <UndoButton questionnaireId={questionnaireId} item={item} />}</> },
      ]}
    />
  );
}
