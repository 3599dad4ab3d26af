import type { ReactNode, TableHTMLAttributes } from "react";

export interface TableProps extends TableHTMLAttributes<HTMLTableElement> {
  /** Read out before the table; keep it visible unless the heading above says the same. */
  caption?: ReactNode;
  captionHidden?: boolean;
  /**
   * On a phone, show each row as a block of "column name: value" lines instead of scrolling sideways. Give every
   * body cell the column's name as `data-label` (a cell without one, such as a lone button, takes the whole line).
   * The header row is then hidden from sight but still read out, so the cells keep their column names for screen readers.
   */
  stack?: boolean;
  children: ReactNode;
}

/**
 * A data table that scrolls sideways inside its own box on narrow screens instead of widening the page, or, with
 * `stack`, lays its rows out as blocks there.
 */
export function Table({ caption, captionHidden, stack, className, children, ...rest }: TableProps) {
  return (
    <div className="table-wrap" role="region" aria-label={typeof caption === "string" ? caption : undefined} tabIndex={0}>
      <table {...rest} className={["table", stack ? "table-stack" : "", className ?? ""].filter(Boolean).join(" ")}>
        {caption && <caption className={captionHidden ? "visually-hidden" : "table-caption"}>{caption}</caption>}
        {children}
      </table>
    </div>
  );
}
