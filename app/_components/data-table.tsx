import type { ReactNode } from "react";

export type Column<Row> = {
  /** The column's heading. */
  label: ReactNode;
  /** Right-aligned, tabular figures (the `num` class). */
  numeric?: boolean;
  /** The cell names its row for screen readers (`<th scope="row">`). */
  rowHeader?: boolean;
  cell: (row: Row) => ReactNode;
};

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
  className,
  footer,
}: {
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row> | false | null | undefined>;
  rowKey: (row: Row, index: number) => string;
  caption?: ReactNode;
  className?: string;
  /** Rows after the data (totals), already as `<tr>` elements. */
  footer?: ReactNode;
}) {
  const shown = columns.filter((column): column is Column<Row> => Boolean(column));
  return (
    <div className="table-wrap">
      <table className={className}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {shown.map((column, index) => (
              <th key={index} scope="col" className={column.numeric ? "num" : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={rowKey(row, rowIndex)}>
              {shown.map((column, index) =>
                column.rowHeader ? (
                  <th key={index} scope="row" className={column.numeric ? "num" : undefined}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={index} className={column.numeric ? "num" : undefined}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </div>
  );
}
