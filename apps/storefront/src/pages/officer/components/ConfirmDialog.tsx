import type { ReactNode } from "react";
import { Button } from "../../../ui/index.ts";
import { ActionDialog } from "./ActionDialog.tsx";

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
export function ConfirmDialog({ children, confirmLabel, onConfirm, tone = "danger", ...dialog }: ConfirmDialogProps) {
  return (
    <ActionDialog
      {...dialog}
      focusCancel
      action={
        <Button variant={tone} busy={dialog.busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      }
    >
      <div className="stack-sm">{children}</div>
    </ActionDialog>
  );
}
