import { Button } from "../../../ui/index.ts";
import { ActionDialog, type ActionDialogProps } from "./ActionDialog.tsx";

export interface FormDialogProps extends Omit<ActionDialogProps, "action" | "focusCancel"> {
  /** Ties the footer's submit button, which sits outside the form, to it. */
  formId: string;
  submitLabel: string;
  onSubmit: () => void;
}

/** A dialog around one form, with Cancel and the submit button in its footer. */
export function FormDialog({ formId, submitLabel, onSubmit, children, ...dialog }: FormDialogProps) {
  return (
    <ActionDialog
      {...dialog}
      action={
        <Button type="submit" form={formId} busy={dialog.busy}>
          {submitLabel}
        </Button>
      }
    >
      <form
        id={formId}
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </ActionDialog>
  );
}
