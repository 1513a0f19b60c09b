"use client";
import { groupImportErrors } from "@/lib/io/import-error-groups";
import type { ResponseImportError } from "@/lib/io/response-import";

/** Problems grouped by kind: one line per kind with its count, and its first rows with row and column. */
export function ImportProblems({ errors, title }: { errors: ResponseImportError[]; title: string }) {
  const groups = groupImportErrors(errors);
  return (
    <div className="notice error problems" role="alert">
      <p>
        {title} The file has {errors.length}
        {errors.length >= 500 ? " or more" : ""} problem{errors.length === 1 ? "" : "s"} of {groups.length} kind{groups.length === 1 ? "" : "s"}; fix them
        (or the mapping) and try again:
      </p>
      <ol>
        {groups.map((group, index) => (
          <li key={index}>
            <strong>
              {group.count} × {group.columnName ? `${group.columnName}: ` : ""}
            </strong>
            {group.message}
            <ul className="small">
              {group.examples.map((example, exampleIndex) => (
                <li key={exampleIndex}>
                  Row {example.row}, column {example.column}
                  {example.columnName ? ` (${example.columnName})` : ""}: {example.message}
                </li>
              ))}
              {group.count > group.examples.length ? <li className="muted">… and {group.count - group.examples.length} more of this kind</li> : null}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}
