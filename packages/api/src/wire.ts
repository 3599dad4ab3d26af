import {
  formatMoney,
  formatQuote,
  type CartQuote,
  type CartTicketRow,
  type CartView,
  type CheckoutResult,
  type OrderLine,
  type OrderView,
  type Services,
  type TransferDone,
  type TransferView,
} from "@admit/domain";

/**
 * How domain answers go out. The domain speaks camelCase with decimals; the seed API's answers (its REST routes, and
 * the tRPC procedures whose contract is the seed's shape: cart.get, checkout.start, ticket.transfer,
 * ticket.transfers, order.list and order.get) use its snake_case names and money as "15.00". REST and tRPC share these mappers, so both
 * transports send the same JSON.
 */

/** The seed API's ticket object (reference TicketSerializer field names), prices as "15.00". */
export function seedTicket(ticket: CartTicketRow) {
  const { showing } = ticket;
  return {
    id: ticket.id,
    type: ticket.type,
    price: formatMoney(ticket.price),
    group_discount: ticket.groupDiscount.toString(),
    group_size: ticket.groupSize,
    transferable: ticket.transferable,
    owner: ticket.owner?.fullName ?? null,
    attended: ticket.attended,
    showing: {
      id: showing.id,
      event: showing.eventId,
      start_time: showing.startTime,
      end_time: showing.endTime,
      location: showing.location,
      ticket_order_limit: showing.ticketOrderLimit,
      ticket_drop_time: showing.ticketDropTime,
    },
    event: {
      id: showing.event.id,
      name: showing.event.name,
      club_code: showing.event.club.code,
      club_name: showing.event.club.name,
    },
  };
}

function seedLine(line: OrderLine) {
  return {
    showing_id: line.showingId,
    type: line.type,
    count: line.count,
    list_price: formatMoney(line.listPrice),
    unit_price: formatMoney(line.unitPrice),
    amount: formatMoney(line.amount),
    discount: formatMoney(line.discount),
    group_quote: seedQuote(formatQuote(line.quote)),
  };
}

function seedQuote(quote: ReturnType<typeof formatQuote>) {
  return quote && { size: quote.size, percent_off: quote.percentOff, unit_price: quote.unitPrice };
}

function seedPriced(order: Pick<CartView, "lines" | "listTotal" | "discount">) {
  return { lines: order.lines.map(seedLine), list_total: formatMoney(order.listTotal), discount: formatMoney(order.discount) };
}

export function seedCart(view: CartView) {
  return {
    tickets: view.tickets.map(seedTicket),
    sold_out: view.soldOut,
    total: formatMoney(view.total),
    hold_expires_at: view.holdExpiresAt,
    ...seedPriced(view),
    allowances: view.allowances.map((a) => ({
      showing_id: a.showingId,
      limit: a.limit,
      in_cart: a.inCart,
      owned: a.owned,
      remaining: a.remaining,
    })),
  };
}

export function seedCheckout(result: CheckoutResult) {
  return {
    success: result.success,
    detail: result.detail,
    sold_free_tickets: result.soldFreeTickets,
    ...(result.paymentPage ? { cybersource_url: result.paymentPage.url, payment_params: result.paymentPage.fields } : {}),
    total: formatMoney(result.total),
    hold_expires_at: result.holdExpiresAt,
    order_id: result.orderId,
    ...seedPriced(result),
  };
}

export function cartQuoteOut(quote: CartQuote) {
  return {
    lines: quote.lines.map((l) => ({
      type: l.type,
      count: l.count,
      listPrice: formatMoney(l.listPrice),
      unitPrice: formatMoney(l.unitPrice),
      amount: formatMoney(l.amount),
      discount: formatMoney(l.discount),
      quote: formatQuote(l.quote),
    })),
    total: formatMoney(quote.total),
    listTotal: formatMoney(quote.listTotal),
    discount: formatMoney(quote.discount),
  };
}

export function seedTransferDone(done: TransferDone) {
  return { detail: done.detail, transfer_id: done.transferId, ticket_id: done.ticketId, receiver: done.receiver };
}

export function seedTransfer(view: TransferView) {
  return {
    id: view.id,
    ticket_id: view.ticketId,
    direction: view.direction,
    counterpart: view.counterpart && { username: view.counterpart.username, full_name: view.counterpart.fullName },
    event: view.event,
    showing: { id: view.showing.id, start_time: view.showing.startTime },
    type: view.type,
    created_at: view.createdAt,
  };
}

/** An order as GET /api/orders/{id}/ and order.get answer it. */
export function seedOrder(order: OrderView) {
  return {
    id: order.id,
    reference: order.reference,
    created_at: order.createdAt,
    status: order.status,
    total: formatMoney(order.total),
    currency: order.currency,
    refunded_total: formatMoney(order.refundedTotal),
    buyer: { full_name: order.buyer.fullName, email: order.buyer.email },
    payment: order.payment && { reference_number: order.payment.referenceNumber, transaction_id: order.payment.transactionId },
    lines: order.lines.map((line) => ({
      event: line.event,
      showing: { id: line.showing.id, start_time: line.showing.startTime, end_time: line.showing.endTime, location: line.showing.location },
      type: line.type,
      count: line.count,
      unit_price: formatMoney(line.unitPrice),
      discount: formatMoney(line.discount),
      amount: formatMoney(line.amount),
    })),
    tickets: order.tickets.map((ticket) => ({
      id: ticket.id,
      event: ticket.event,
      showing: { id: ticket.showing.id, start_time: ticket.showing.startTime },
      type: ticket.type,
      amount_paid: formatMoney(ticket.amountPaid),
      refunded_amount: formatMoney(ticket.refundedAmount),
      voided: ticket.voidedAt !== null,
      voided_at: ticket.voidedAt,
      void_reason: ticket.voidReason,
      current: ticket.current,
    })),
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      amount: formatMoney(refund.amount),
      state: refund.state,
      reason: refund.reason,
      created_at: refund.createdAt,
      completed_at: refund.completedAt,
    })),
  };
}

type RefundView = Awaited<ReturnType<Services["refunds"]["markDone"]>>;

/** A refund in the seed API's shape (POST /api/orders/{id}/refunds/, POST /api/refunds/{id}/done/). */
export function seedRefund(refund: RefundView) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    order_reference: refund.orderReference,
    club_id: refund.clubId,
    amount: formatMoney(refund.amount),
    currency: refund.currency,
    reason: refund.reason,
    status: refund.status,
    state: refund.state,
    attempts: refund.attempts,
    last_error: refund.lastError,
    next_attempt_at: refund.nextAttemptAt,
    processor_refund_id: refund.processorRefundId,
    completed_at: refund.completedAt,
    created_at: refund.createdAt,
    transaction_id: refund.transactionId,
    ticket_ids: refund.ticketIds,
    instruction: refund.instruction,
  };
}

export function seedRefundResult(result: { refund: RefundView | null; voidedTicketIds: string[]; replayed: boolean }) {
  return { refund: result.refund && seedRefund(result.refund), voided_ticket_ids: result.voidedTicketIds, replayed: result.replayed };
}
