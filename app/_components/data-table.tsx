import type { HTMLAttributes, ReactNode } from "react";

export type Column<Row> = {
  /** The column's heading. */
  label: ReactNode;
  /** Right-aligned, tabular figures (the `num` class). */
  numeric?: boolean;
  /** The cell names its row for screen readers (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Extra classes of the cell, fixed or per row (`muted`, `small`). */
  className?: string | ((row: Row) => string | undefined);
  /**
   * Columns this row's cell covers (a "not computed: …" message across the figures); the columns it covers draw
   * nothing in that row.
   */
  colSpan?: (row: Row) => number;
  /** Rows this cell covers (one cell for a group of rows); 0 where a cell above already covers this row. */
  rowSpan?: (row: Row, index: number) => number;
  cell: (row: Row) => ReactNode;
};

/** A heading over several columns (`<th scope="colgroup">`); an empty label leaves those columns without one. */
export type ColumnGroup = { label?: ReactNode; span: number; numeric?: boolean };

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/**
 * The one table of the app: scrolling wrapper, column headings with their scope, one row per item. Cells stay JSX,
 * so a cell may hold a form, a link or a progress bar.
 *
 *   <DataTable rows={users} rowKey={(u) => u.id} columns={[{ label: "Name", cell: (u) => u.name }, …]} />
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  caption,
  captionHidden = false,
  className,
  wrapClassName,
  groups,
  rowProps,
  empty,
  footer,
}: {
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row> | false | null | undefined>;
  rowKey: (row: Row, index: number) => string;
  caption?: ReactNode;
  /** The caption is for screen readers only (the heading above the table says it already). */
  captionHidden?: boolean;
  className?: string;
  /** Classes of the scrolling wrapper besides `table-wrap`. */
  wrapClassName?: string;
  /** A heading row above the column headings, grouping them (spans add up to the number of columns). */
  groups?: readonly ColumnGroup[];
  /** Attributes of a row's `<tr>` (a class that marks it, a data attribute tests find it by). */
  rowProps?: (row: Row) => RowAttributes;
  /** What the table says when there are no rows (one cell across all columns); without it the body stays empty. */
  empty?: ReactNode;
  /** Rows after the data (totals), already as `<tr>` elements. */
  footer?: ReactNode;
}) {
  const shown = columns.filter((column): column is Column<Row> => Boolean(column));
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : "table-wrap"}>
      <table className={className}>
        {caption ? <caption className={captionHidden ? "sr-only" : undefined}>{caption}</caption> : null}
        <thead>
          {groups ? (
            <tr>
              {groups.map((group, index) =>
                group.label ? (
                  <th key={index} scope="colgroup" colSpan={group.span} className={group.numeric ? "num" : undefined}>
                    {group.label}
                  </th>
                ) : (
                  <td key={index} colSpan={group.span} />
                ),
              )}
            </tr>
          ) : null}
          <tr>
            {shown.map((column, index) => (
              <th key={index} scope="col" className={column.numeric ? "num" : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty ? (
            <tr>
              <td colSpan={shown.length}>{empty}</td>
            </tr>
          ) : null}
          {rows.map((row, rowIndex) => (
            <tr key={rowKey(row, rowIndex)} {...rowProps?.(row)}>
              {cellsOf(shown, row, rowIndex)}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}

function cellsOf<Row>(columns: readonly Column<Row>[], row: Row, rowIndex: number): ReactNode[] {
  const cells: ReactNode[] = [];
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index]!;
    const rowSpan = column.rowSpan ? column.rowSpan(row, rowIndex) : 1;
    if (rowSpan === 0) continue;
    const colSpan = column.colSpan ? column.colSpan(row) : 1;
    const extra = typeof column.className === "function" ? column.className(row) : column.className;
    // A cell across several columns holds a message (why the figures are missing), not a figure.
    const numeric = column.numeric && colSpan <= 1;
    const props = {
      className: [numeric ? "num" : null, extra].filter(Boolean).join(" ") || undefined,
      colSpan: colSpan > 1 ? colSpan : undefined,
      rowSpan: rowSpan > 1 ? rowSpan : undefined,
    };
    cells.push(
      column.rowHeader ? (
        <th key={index} {...props} scope={rowSpan > 1 ? "rowgroup" : "row"}>
          {column.cell(row)}
        </th>
      ) : (
        <td key={index} {...props}>
          {column.cell(row)}
        </td>
      ),
    );
    if (colSpan > 1) index += colSpan - 1;
  }
  return cells;
}

/** A computed result, or why it could not be computed (the runner's and the statistics' `Maybe`). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

type OutcomeColumn<Row, T> = Omit<Column<Row>, "cell" | "colSpan"> & { cell: (value: T, row: Row) => ReactNode };

/**
 * Columns that show the parts of one computed result; where it could not be computed, one muted cell across them
 * says why ("not defined: every accuracy tied").
 */
export function outcomeColumns<Row, T>(
  outcome: (row: Row) => Outcome<T>,
  columns: ReadonlyArray<OutcomeColumn<Row, T>>,
  missing: (reason: string) => ReactNode = (reason) => `not defined: ${reason}`,
): Column<Row>[] {
  return columns.map((column, index) => ({
    ...column,
    colSpan: index === 0 ? (row: Row) => (outcome(row).ok ? 1 : columns.length) : undefined,
    className: (row: Row) => {
      const result = outcome(row);
      if (!result.ok) return "muted";
      return typeof column.className === "function" ? column.className(row) : column.className;
    },
    cell: (row: Row) => {
      const result = outcome(row);
      return result.ok ? column.cell(result.value, row) : missing(result.reason);
    },
  }));
}
