import type { ReactNode, TableHTMLAttributes } from "react";

export interface TableProps extends TableHTMLAttributes<HTMLTableElement> {
  /** Read out before the table; keep it visible unless the heading above says the same. */
  caption?: ReactNode;
  captionHidden?: boolean;
  children: ReactNode;
}

/** A data table that scrolls sideways inside its own box on narrow screens instead of widening the page. */
export function Table({ caption, captionHidden, className, children, ...rest }: TableProps) {
  return (
    <div className="table-wrap" role="region" aria-label={typeof caption === "string" ? caption : undefined} tabIndex={0}>
      <table {...rest} className={["table", className ?? ""].filter(Boolean).join(" ")}>
        {caption && <caption className={captionHidden ? "visually-hidden" : "table-caption"}>{caption}</caption>}
        {children}
      </table>
    </div>
  );
}
