import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatPrice, isFree } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Badge, Button, Dialog, useAnnounce } from "../../ui/index.ts";

type Ticket = Outputs["ticket"]["get"];

/** What the seller gets back once someone buys the ticket: what they paid, from the server's record of it. */
function refundText(ticket: Ticket): string {
  if (ticket.amount_paid === null || isFree(ticket.amount_paid)) {
    return "You didn't pay for this ticket, so there is nothing to refund: it simply passes to the buyer.";
  }
  return `Once someone buys it, you're refunded what you paid (${formatPrice(ticket.amount_paid)}) and your QR code stops working. Nothing is refunded before the buyer has paid.`;
}

/**
 * The face-value exchange on a ticket's page: offering it (when its type allows), its state while offered, and taking
 * the offer back. Whether it may be offered or withdrawn is the server's rule; a refusal shows its message.
 */
export function ExchangeTicket({ ticket, blocked }: { ticket: Ticket; blocked: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const done = async (next: Ticket, text: string) => {
    setProblem(null);
    setOpen(false);
    announce(text);
    queryClient.setQueryData(trpc.ticket.get.queryKey({ id: ticket.id }), next);
    await queryClient.invalidateQueries({ queryKey: trpc.ticket.pathKey() });
  };
  const list = useMutation(
    trpc.ticket.listForExchange.mutationOptions({
      onSuccess: (next) => done(next, "Your ticket is offered on the exchange."),
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );
  const withdraw = useMutation(
    trpc.ticket.withdrawFromExchange.mutationOptions({
      onSuccess: (next) => done(next, "Your ticket is no longer offered on the exchange."),
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );

  const { allowed, listed_at: listedAt } = ticket.exchange;
  if (!allowed && !listedAt) return null;
  return (
    <div className="stack-sm exchange" data-testid="exchange">
      {problem && !open && (
        <Alert tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
      {listedAt ? (
        <>
          <p>
            <Badge tone="info">On the exchange</Badge> Offered on the exchange since {formatDateTime(listedAt)}.
          </p>
          <p className="small muted">
            It's still yours until someone buys it at face value ({formatPrice(ticket.price)}). {refundText(ticket)}
          </p>
          <div className="row">
            <Button variant="secondary" busy={withdraw.isPending} onClick={() => withdraw.mutate({ id: ticket.id })}>
              Withdraw from the exchange
            </Button>
          </div>
        </>
      ) : (
        <>
          <div className="row">
            <Button variant="secondary" disabled={blocked !== null} onClick={() => setOpen(true)}>
              Offer on the exchange
            </Button>
          </div>
          <p className="small muted">{blocked ?? "Can't go? Offer it at face value to students waiting for tickets."}</p>
        </>
      )}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Offer this ticket on the exchange?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={list.isPending} autoFocus>
              Keep it
            </Button>
            <Button busy={list.isPending} onClick={() => list.mutate({ id: ticket.id })}>
              Offer on the exchange
            </Button>
          </>
        }
      >
        {problem && <Alert tone="danger">{problem}</Alert>}
        <div className="stack-sm">
          <p>
            Students on the waitlist get the first chance to buy it, at face value ({formatPrice(ticket.price)}). Until someone does, it
            stays yours: your QR code works and you can withdraw the offer.
          </p>
          <p>{refundText(ticket)}</p>
        </div>
      </Dialog>
    </div>
  );
}
