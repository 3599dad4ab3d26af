import { refundFormSchema, type RefundForm } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { errorMessage } from "../../../../lib/errors.ts";
import { formatUsd } from "../../../../lib/format.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Alert, Field, Input, Textarea, useAnnounce } from "../../../../ui/index.ts";
import { useServerIssues } from "../../lib/server-issues.ts";
import { FormDialog } from "../FormDialog.tsx";
import { newRequestKey } from "./request-key.ts";

export interface RefundableTicket {
  id: string;
  label: string;
  refundable: string;
  checkedIn: boolean;
  voided: boolean;
}

export interface RefundDialogProps {
  open: boolean;
  onClose: () => void;
  clubId: number;
  orderId: string;
  orderReference: string;
  /** automatic: the refund goes through CyberSource by itself; manual: the club does it in the Business Center. */
  mode: "automatic" | "manual";
  tickets: RefundableTicket[];
  /** Tickets ticked when the dialog opens. */
  chosen: string[];
  onDone: (message: string) => void;
}

/**
 * Refund chosen tickets of an order: all of what is left of their price or part of it, with a reason the buyer reads,
 * and whether the seats go back on sale. One request key per opening, so a double click or a retry refunds once.
 */
export function RefundDialog({ open, onClose, clubId, orderId, orderReference, mode, tickets, chosen, onDone }: RefundDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [requestKey] = useState(newRequestKey);
  const [serverError, setServerError] = useState<string | null>(null);
  const form = useForm<RefundForm>({
    resolver: zodResolver(refundFormSchema),
    defaultValues: { ticketIds: chosen, fullAmount: true, amount: "", reason: "", returnToSale: true },
  });
  const showServerIssues = useServerIssues(form.setError);
  const fullAmount = useWatch({ control: form.control, name: "fullAmount" });

  const refund = useMutation(
    trpc.refund.refundOrder.mutationOptions({
      onSuccess: async (result) => {
        const what = result.refund
          ? `${formatUsd(result.refund.amount)} ${result.refund.status === "MANUAL" ? "is now a task for the club: refund it in the Business Center, then mark it done" : "is on its way back to the buyer's card"}`
          : "Nothing was paid for these tickets, so no money moves";
        const message = `${result.replayed ? "Already done: " : ""}${what}. ${result.voidedTicketIds.length} ticket${result.voidedTicketIds.length === 1 ? "" : "s"} voided.`;
        announce(message);
        onDone(message);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.refund.clubOrder.queryKey({ clubId, orderId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.refund.attention.queryKey({ clubId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.refund.clubOrders.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.club.finance.queryKey({ clubId }) }),
        ]);
      },
      onError: (error) => {
        setServerError(errorMessage(error));
        showServerIssues(error);
      },
    }),
  );

  const submit = form.handleSubmit((values) => {
    setServerError(null);
    refund.mutate({
      orderId,
      clubId,
      ticketIds: values.ticketIds,
      ...(values.fullAmount ? {} : { amount: values.amount }),
      reason: values.reason,
      returnToSale: values.returnToSale,
      idempotencyKey: requestKey,
    });
  });
  const { errors } = form.formState;

  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={`Refund order ${orderReference}`}
      formId="refund-form"
      submitLabel="Refund"
      busy={refund.isPending}
      onSubmit={() => void submit()}
    >
      <Alert tone="info">
        {mode === "automatic"
          ? "The money goes back to the buyer's card through CyberSource automatically; failures are retried and shown on the dashboard."
          : "Refunds are not automatic on this site: after this, refund the amount in the CyberSource Business Center and mark the task done on the dashboard. The buyer is told so."}
      </Alert>
      <fieldset className="stack-sm refund-tickets">
        <legend className="field-label">Tickets</legend>
        {tickets.map((t) => {
          const disabled = t.checkedIn || (t.voided && t.refundable === "0.00");
          return (
            <label key={t.id} className="refund-ticket">
              <input type="checkbox" value={t.id} disabled={disabled} {...form.register("ticketIds")} />
              <span>
                {t.label} · {formatUsd(t.refundable)} refundable
                {t.checkedIn ? " · used at the door, cannot be refunded" : t.voided ? " · already voided" : ""}
              </span>
            </label>
          );
        })}
        {errors.ticketIds?.message && <p className="field-error">{errors.ticketIds.message}</p>}
      </fieldset>
      <fieldset className="stack-sm">
        <legend className="field-label">Amount</legend>
        <label className="refund-ticket">
          <input type="radio" checked={fullAmount} onChange={() => form.setValue("fullAmount", true)} name="refund-amount-choice" />
          <span>Everything paid for these tickets and not refunded yet</span>
        </label>
        <label className="refund-ticket">
          <input type="radio" checked={!fullAmount} onChange={() => form.setValue("fullAmount", false)} name="refund-amount-choice" />
          <span>Part of it</span>
        </label>
        {!fullAmount && (
          <Field label="Amount in dollars" error={errors.amount?.message}>
            {(c) => <Input {...c} {...form.register("amount")} inputMode="decimal" placeholder="12.50" autoComplete="off" />}
          </Field>
        )}
      </fieldset>
      <Field label="Reason" hint="The buyer reads this in their e-mail." error={errors.reason?.message}>
        {(c) => <Textarea {...c} {...form.register("reason")} rows={2} maxLength={500} />}
      </Field>
      <label className="refund-ticket">
        <input type="checkbox" {...form.register("returnToSale")} />
        <span>Put the seats back on sale (otherwise they are taken out of circulation)</span>
      </label>
      {/* Next to the Refund button: the form is taller than most screens, and a refusal at its top goes unseen. */}
      {serverError && <Alert tone="danger">{serverError}</Alert>}
    </FormDialog>
  );
}
