import type { Prisma } from "@admit/db";
import { renderEmail } from "../mail/layout.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { formatMoney } from "../money.ts";
import { paymentOrderLines, recordOrder } from "../orders/record.ts";
import { requestRefund, type RefundDeps, type RefundOutcome } from "./request.ts";

type Tx = Prisma.TransactionClient;

export const LATE_PAYMENT_REASON =
  "Your payment arrived after your hold on the tickets ended, and the tickets had sold out, so we could not issue them.";

/**
 * A payment accepted when its seats were gone: its order is recorded (lines, no tickets) and the whole amount is owed
 * back, one refund per club its lines were for (each club's officers see their share), and every officer of those clubs
 * is e-mailed. The Payment stays REFUND_NEEDED until all of them have succeeded (see `finishRefund`).
 */
export async function refundLatePayment(
  tx: Tx,
  deps: RefundDeps,
  payment: { id: string; userId: string; referenceNumber: string; amount: Prisma.Decimal; buyerName: string; buyerEmail: string },
): Promise<RefundOutcome[]> {
  const lines = await paymentOrderLines(tx, payment.id);
  const order = await recordOrder(tx, deps, { userId: payment.userId, paymentId: payment.id, lines, tickets: [] });
  const clubs = await tx.club.findMany({
    where: { events: { some: { showings: { some: { id: { in: lines.map((l) => l.showingId) } } } } } },
    select: {
      id: true,
      name: true,
      memberships: { where: { role: { in: ["OWNER", "OFFICER"] } }, select: { user: { select: { id: true, email: true, fullName: true } } } },
    },
    orderBy: { id: "asc" },
  });
  const outcomes: RefundOutcome[] = [];
  for (const club of clubs) {
    const outcome = await requestRefund(tx, deps, {
      orderId: order.id,
      ticketIds: "all",
      clubId: club.id,
      amount: "full",
      reason: LATE_PAYMENT_REASON,
      idempotencyKey: `late-payment:${payment.id}:${club.id}`,
      requestedById: null,
      returnToSale: false,
      voidReason: "refunded",
    });
    outcomes.push(outcome);
    if (!outcome.refund) continue;
    const amount = `$${formatMoney(outcome.refund.amount)}`;
    const task =
      outcome.refund.status === "MANUAL"
        ? `Refunds are not automatic on this site: refund ${amount} in the CyberSource Business Center (reference ${payment.referenceNumber}), then mark it done under "Money that needs you" on the club dashboard.`
        : `It is being refunded automatically through CyberSource; the club dashboard shows it under "Money that needs you" if the refund fails.`;
    const title = `A late payment of ${amount} must be refunded`;
    const { text, html } = renderEmail({
      title,
      paragraphs: [
        `${payment.buyerName} (${payment.buyerEmail}) paid ${amount} for ${club.name}'s tickets (reference ${payment.referenceNumber}) after their hold ended, when the tickets had sold out, so none could be issued.`,
        task,
      ],
      action: { label: "Open the club dashboard", url: `${deps.publicUrl}/dashboard/${club.id}` },
    });
    await enqueueMail(
      tx,
      club.memberships.map(({ user }) => ({
        to: user.email,
        subject: title,
        text,
        html,
        dedupeKey: `late-payment-officer:${payment.id}:${club.id}:${user.id}`,
      })),
    );
  }
  return outcomes;
}
