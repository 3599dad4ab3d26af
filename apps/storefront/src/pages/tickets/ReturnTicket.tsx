import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatPrice, isFree } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Button, Dialog, useAnnounce } from "../../ui/index.ts";

type Ticket = Outputs["ticket"]["get"];
type Quote = Outputs["ticket"]["returnQuote"];

/** What happens to the money, as the server says it will happen. */
function moneyText(quote: Quote): string {
  if (isFree(quote.refundAmount)) return "This ticket was free, so there is nothing to pay back: it is simply released.";
  const amount = formatPrice(quote.refundAmount);
  return quote.refundMode === "automatic"
    ? `You get ${amount} back on the card you paid with; refunds usually show up within 5 to 10 business days.`
    : `You get ${amount} back: the club refunds it by hand through the payment processor, and you get an e-mail when it is done.`;
}

/**
 * The ticket page's return offer. Whether the ticket can be returned, until when and for how much is the server's
 * answer (ticket.returnQuote); this only shows it and asks before returning.
 */
export function ReturnTicket({ ticket }: { ticket: Ticket }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const quote = useQuery(trpc.ticket.returnQuote.queryOptions({ id: ticket.id }));
  const ret = useMutation(
    trpc.ticket.return.mutationOptions({
      onSuccess: async (result) => {
        const message = result.refund
          ? `You returned your ${ticket.type} ticket for ${ticket.event.name}; ${formatPrice(result.refund.amount)} is on its way back.`
          : `You returned your ${ticket.type} ticket for ${ticket.event.name}.`;
        announce(message);
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.ticket.pathKey() });
        await navigate("/tickets", { state: { flash: message } });
      },
      onError: async (error) => {
        setProblem(errorMessage(error));
        await quote.refetch();
      },
    }),
  );

  if (!quote.data) return null;
  const q = quote.data;
  if (!q.allowed) {
    return q.deadline || q.code === "SHOWING_CANCELLED" ? <p className="small muted">{q.reason}</p> : null;
  }
  return (
    <>
      <div className="row">
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Return ticket
        </Button>
      </div>
      {q.deadline && <p className="small muted">Returns are open until {formatDateTime(q.deadline)}.</p>}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Return this ticket?"
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={ret.isPending} autoFocus>
              Keep my ticket
            </Button>
            <Button variant="danger" busy={ret.isPending} onClick={() => ret.mutate({ id: ticket.id })}>
              Return ticket
            </Button>
          </>
        }
      >
        {problem && <Alert tone="danger">{problem}</Alert>}
        <div className="stack-sm">
          <p>{moneyText(q)}</p>
          <Alert tone="warning">
            Your QR code stops working right away and the seat goes back on sale. You can't undo this.
          </Alert>
        </div>
      </Dialog>
    </>
  );
}

/** For a ticket the caller no longer holds: why, when it was their purchase (cancelled showing, returned, refunded). */
export function GoneTicketReason({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const quote = useQuery({ ...trpc.ticket.returnQuote.queryOptions({ id: ticketId }), retry: false });
  if (!quote.data?.reason) return null;
  return <Alert tone="info" title="This ticket is no longer valid">{quote.data.reason}</Alert>;
}
