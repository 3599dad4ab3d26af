import type { ReactNode } from "react";
import { Alert, Button, Dialog } from "../../../ui/index.ts";

export interface ActionDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  /** The one button besides Cancel. */
  action: ReactNode;
  busy?: boolean | undefined;
  /** The action's refusal, in plain words. */
  error?: string | null | undefined;
  /** For steps that cannot be undone, so a stray Enter cancels rather than goes ahead. */
  focusCancel?: boolean;
  children: ReactNode;
}

/** A dialog whose footer offers Cancel first, then its one action; a refusal shows above the content. */
export function ActionDialog({ open, onClose, title, action, busy, error, focusCancel, children }: ActionDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy} autoFocus={focusCancel}>
            Cancel
          </Button>
          {action}
        </>
      }
    >
      {error && <Alert tone="danger">{error}</Alert>}
      {children}
    </Dialog>
  );
}
