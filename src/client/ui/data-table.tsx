import { Fragment, type HTMLAttributes, type ReactNode } from 'react';

/**
 * One column of a DataTable: its label (the header, and each cell's label when rows stack into cards on narrow screens:
 * table.css `table-stack`) and what a row shows in it.
 */
export type Column<T> = {
  label: string;
  cell: (row: T) => ReactNode;
  /** Drawn in the header instead of the label (a sort button); the label still names the stacked cell. */
  header?: ReactNode;
  /** The row's header cell (`<th scope="row">`): what names the row. Stacked, it is the card's title, unlabelled. */
  rowHeader?: boolean;
  /** The row's actions: the header says the label to screen readers only; the buttons stay together. */
  actions?: boolean;
  /** Stacked, the cell shows no label (it labels itself: a link that says what it opens). */
  unlabelled?: boolean;
};

type Props<T> = {
  /** What the table lists, and in which order: read by screen readers (shown when `showCaption`). */
  caption: ReactNode;
  showCaption?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Attributes of a row's `<tr>` (a class, aria-current). */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement>;
  className?: string;
  /** Inside a bordered box that scrolls sideways only if a cell cannot wrap (the default); false for a table in a card. */
  boxed?: boolean;
  /** The rows shown are about to be replaced (the next page loading): said to assistive technology. */
  busy?: boolean;
};

/**
 * The app's one table: a caption, column headers with scope, a header cell per row, an actions column, and the
 * labels stacked rows need — the same markup on every screen that lists things.
 */
export function DataTable<T>({ caption, showCaption = false, columns, rows, rowKey, rowProps, className, boxed = true, busy }: Props<T>) {
  const table = (
    <table className={['table', 'table-stack', className].filter(Boolean).join(' ')}>
      <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <Fragment key={column.label}>
              {column.header ?? <th scope="col">{column.actions ? <span className="visually-hidden">{column.label}</span> : column.label}</th>}
            </Fragment>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) =>
              column.rowHeader ? (
                <th key={column.label} scope="row">
                  {column.cell(row)}
                </th>
              ) : column.actions ? (
                <td key={column.label} className="row-actions">
                  <div className="row-actions-inner">{column.cell(row)}</div>
                </td>
              ) : (
                <td key={column.label} data-label={column.unlabelled ? undefined : column.label}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return boxed ? (
    <div className="table-wrap" aria-busy={busy}>
      {table}
    </div>
  ) : (
    table
  );
}
