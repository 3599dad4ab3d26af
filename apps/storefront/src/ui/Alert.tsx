import type { ReactNode } from "react";

export type AlertTone = "info" | "success" | "warning" | "danger";

export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  onDismiss?: () => void;
  /** Actions under the text, e.g. a retry button. */
  actions?: ReactNode;
}

const icons: Record<AlertTone, string> = { info: "i", success: "✓", warning: "!", danger: "!" };

/** A message in a colored box. Errors are announced at once (role=alert); the rest politely (role=status). */
export function Alert({ tone = "info", title, children, onDismiss, actions }: AlertProps) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "danger" ? "alert" : "status"}>
      <span className="alert-icon" aria-hidden="true">
        {icons[tone]}
      </span>
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        {children && <div className="alert-text">{children}</div>}
        {actions && <div className="alert-actions">{actions}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="alert-dismiss" onClick={onDismiss} aria-label="Dismiss this message">
          ×
        </button>
      )}
    </div>
  );
}
