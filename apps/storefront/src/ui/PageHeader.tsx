import { useEffect, type ReactNode } from "react";

export interface PageHeaderProps {
  title: ReactNode;
  /** The browser tab's title; defaults to the title when that is plain text. */
  documentTitle?: string;
  eyebrow?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}

/**
 * The page's one h1. The layout moves focus to it after each navigation, so screen-reader users hear where they
 * landed and keyboard users continue from the top of the new page.
 */
export function PageHeader({ title, documentTitle, eyebrow, description, actions }: PageHeaderProps) {
  const tabTitle = documentTitle ?? (typeof title === "string" ? title : undefined);
  useEffect(() => {
    if (tabTitle) document.title = `${tabTitle} · Admit`;
  }, [tabTitle]);
  return (
    <header className="page-header">
      <div className="page-header-text">
        {eyebrow && <p className="page-eyebrow">{eyebrow}</p>}
        <h1 className="page-title" tabIndex={-1} data-page-title>
          {title}
        </h1>
        {description && <div className="page-description">{description}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
