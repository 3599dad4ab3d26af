import type { ReactNode } from "react";
import { Alert, Button, Dialog } from "../../../ui/index.ts";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The button that does it, e.g. "Delete event". */
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  /** The server's refusal, in plain words. */
  error?: string | null;
  tone?: "danger" | "primary";
}

/** Asks before anything that cannot be undone; the safe choice comes first and has focus. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onClose, busy, error, tone = "danger" }: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy} autoFocus>
            Cancel
          </Button>
          <Button variant={tone} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error && <Alert tone="danger">{error}</Alert>}
      <div className="stack-sm">{children}</div>
    </Dialog>
  );
}
