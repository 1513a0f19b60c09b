"use client";
import { DataTable } from "@/app/_components/data-table";
import type { MappedColumn } from "@/lib/io/response-import";

/** "" = automatic (by id or text), null = ignore, else a question id. */
export type MappingChoice = "" | null | string;

const describeTarget = (column: MappedColumn): string => {
  const t = column.target;
  switch (t.kind) {
    case "metadata":
      return `metadata: ${t.field}`;
    case "value":
      return `answer to ${t.questionId}`;
    case "option":
      return `${t.questionId}: option ${t.optionId}`;
    case "otherText":
      return `${t.questionId}: “Other” text`;
    case "matrixRow":
      return `${t.questionId}: row ${t.rowId}`;
    case "ignored":
      return `ignored (${t.reason})`;
  }
};

/**
 * The columns of the file, grouped by their question key (Q5_1 … Q5_7_TEXT share Q5), each with a control to
 * map the key to a question or ignore it. Metadata columns (ResponseId, Finished, …) are shown but fixed.
 */
export function MappingEditor({
  columns,
  questionIds,
  overrides,
  onChange,
  disabled,
}: {
  columns: MappedColumn[];
  questionIds: string[];
  overrides: Record<string, string | null>;
  onChange: (key: string, choice: MappingChoice) => void;
  disabled: boolean;
}) {
  const keys: Array<{ key: string; columns: MappedColumn[] }> = [];
  for (const column of columns) {
    const last = keys.at(-1);
    if (last && last.key === column.sourceKey) last.columns.push(column);
    else keys.push({ key: column.sourceKey, columns: [column] });
  }
  const rows = keys.flatMap(({ key, columns: group }) => group.map((column, index) => ({ key, column, index, groupSize: group.length })));
  return (
    <DataTable
      wrapClassName="mapping"
      rows={rows}
      rowKey={(row) => String(row.column.column)}
      rowProps={(row) => ({ className: row.column.matchedBy === "none" ? "unmatched" : undefined })}
      columns={[
        { label: "Column", numeric: true, cell: (row) => row.column.column },
        {
          label: "Header",
          cell: ({ column }) => (
            <>
              <code>{column.name}</code>
              {column.text ? <div className="muted small">{column.text.slice(0, 100)}</div> : null}
            </>
          ),
        },
        {
          label: "Question",
          // One choice for all columns of a source question (a multiple-choice question's columns).
          rowSpan: (row) => (row.index === 0 ? row.groupSize : 0),
          cell: ({ key, column }) =>
            column.target.kind === "metadata" ? (
              <span className="muted">—</span>
            ) : (
              <select
                aria-label={`Question for ${key}`}
                value={Object.hasOwn(overrides, key) ? (overrides[key] ?? "__ignore") : ""}
                disabled={disabled}
                onChange={(event) => onChange(key, event.target.value === "" ? "" : event.target.value === "__ignore" ? null : event.target.value)}
              >
                <option value="">Automatic</option>
                <option value="__ignore">Ignore these columns</option>
                {questionIds.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            ),
        },
        { label: "Read as", cell: ({ column }) => describeTarget(column) },
        { label: "Matched by", cell: ({ column }) => (column.matchedBy === "override" ? "by hand" : column.matchedBy) },
      ]}
    />
  );
}
