import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  icon?: "ticket" | "calendar" | "cart" | "mail" | "search";
}

const paths: Record<NonNullable<EmptyStateProps["icon"]>, string> = {
  ticket: "M4 7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-2a2 2 0 0 0 0-4V7z M14 5v12",
  calendar: "M5 6h14a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z M4 10h16 M8 4v4 M16 4v4",
  cart: "M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.7a1 1 0 0 0 1-.8L20 8H6.2 M9 19.5a1 1 0 1 0 0 .01 M17 19.5a1 1 0 1 0 0 .01",
  mail: "M4 6h16v12H4z M4 7l8 6 8-6",
  search: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z M16 16l4 4",
};

export function EmptyState({ title, children, action, icon = "ticket" }: EmptyStateProps) {
  return (
    <div className="empty">
      <svg className="empty-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={paths[icon]} />
      </svg>
      <p className="empty-title">{title}</p>
      {children && <div className="empty-text">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
