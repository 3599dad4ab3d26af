import { verifyReply, type RestCredentials, type SecureAcceptanceProfile, type VerifiedReply } from "@admit/cybersource";
import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { CART_TRANSACTION } from "../cart/store.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Roles } from "../roles.ts";
import { outcomeOf, type PaymentChannel, type ReplyResult } from "./outcome.ts";
import { attemptRefund, claimDueRefunds, REFUND_RETRY_AFTER_MS } from "./refund.ts";
import { lockPayment, settleReply } from "./settle.ts";

export interface PaymentSettings {
  /** The origin browsers use; e-mail links are built from it. */
  publicUrl: string;
  /** The Secure Acceptance profile replies are verified against. */
  profile: SecureAcceptanceProfile;
  /** REST keys; without them a payment that must be refunded waits for an officer (REFUND_NEEDED). */
  rest?: RestCredentials;
}

/** How long a manual retry waits after the last refund attempt, so two clicks do not refund twice. */
const MANUAL_RETRY_GUARD_MS = 30_000;

const attentionSelect = {
  id: true,
  referenceNumber: true,
  status: true,
  statusReason: true,
  amount: true,
  currency: true,
  buyerName: true,
  buyerEmail: true,
  decision: true,
  reasonCode: true,
  transactionId: true,
  processedAt: true,
  refundReference: true,
  createdAt: true,
} satisfies Prisma.PaymentSelect;

/**
 * Payment results from CyberSource, whichever way and however often they arrive: the browser's receipt POST and
 * the merchant POST both land here, every delivery is kept for audit, and each result changes an attempt once.
 */
export class Payments {
  constructor(
    private readonly deps: DomainDeps,
    private readonly settings: PaymentSettings,
    private readonly roles: Roles,
  ) {}

  /** Verifies a posted reply strictly, records the delivery either way, and applies it when it is genuine. */
  async receiveReply(posted: Record<string, unknown>, channel: PaymentChannel): Promise<ReplyResult> {
    const missing = ["signature", "signed_field_names"].filter((name) => typeof posted[name] !== "string" || posted[name] === "");
    const check = missing.length ? null : verifyReply(posted, this.settings.profile);
    if (!check?.ok) {
      await this.recordDelivery(await this.attemptIdFromUnverified(posted), channel, false, posted);
      if (!check) {
        throw new DomainError("VALIDATION_FAILED", `The payment result is missing ${missing.join(" and ")}, so nothing was changed.`);
      }
      throw new DomainError("PAYMENT_SIGNATURE_INVALID", "This payment result could not be verified, so nothing was changed.", {
        details: { reason: check.reason },
      });
    }
    return this.processReply(check.reply, channel);
  }

  /**
   * Applies a verified reply to its attempt (found by transaction uuid AND reference number) under a row lock.
   * Repeats and late arrivals return the outcome already recorded. Amount or currency that differ from the attempt,
   * or a partial approval, assign nothing and put the attempt up for review (PAYMENT_MISMATCH).
   */
  async processReply(reply: VerifiedReply, channel: PaymentChannel): Promise<ReplyResult> {
    const attempt = await this.deps.prisma.payment.findFirst({
      where: { transactionUuid: reply.transactionUuid, referenceNumber: reply.referenceNumber },
      select: { id: true, referenceNumber: true },
    });
    await this.recordDelivery(attempt?.id ?? null, channel, true, reply.fields, reply.decision);
    if (!attempt) throw notFound("The checkout this payment result is for");

    const settlement = await this.deps.prisma.$transaction(async (tx) => {
      const payment = await lockPayment(tx, attempt.id);
      if (!payment) throw notFound("The checkout this payment result is for");
      return settleReply(tx, this.deps, payment, reply, this.settings.publicUrl);
    }, CART_TRANSACTION);

    if (settlement.kind === "mismatch") {
      throw new DomainError(
        "PAYMENT_MISMATCH",
        "This payment does not match the checkout it is for, so no tickets were issued. Our officers will review it; please contact the club.",
        { details: { reference: attempt.referenceNumber } },
      );
    }
    let status = settlement.status;
    if (settlement.refundDue && this.settings.rest && (await attemptRefund(this.deps, this.settings.rest, attempt.id))) {
      status = "REFUNDED";
    }
    return { paymentId: attempt.id, referenceNumber: attempt.referenceNumber, status, outcome: outcomeOf(status) };
  }

  /**
   * For the periodic job: retries refunds that failed or were never tried (for example when the process stopped
   * right after deciding one). Does nothing without REST credentials.
   */
  async retryDueRefunds(): Promise<{ attempted: number; refunded: number }> {
    if (!this.settings.rest) return { attempted: 0, refunded: 0 };
    const due = await claimDueRefunds(this.deps);
    let refunded = 0;
    for (const id of due) if (await attemptRefund(this.deps, this.settings.rest, id)) refunded += 1;
    return { attempted: due.length, refunded };
  }

  /** An officer of every club the payment bought tickets from (or a site admin) asks for the refund again now. */
  async retryRefund(actor: UserActor, paymentId: string) {
    await this.requireManager(actor, paymentId);
    if (!this.settings.rest) {
      throw new DomainError("UNAVAILABLE", "Automatic refunds are not set up on this server; refund it in the CyberSource Business Center.");
    }
    const now = this.deps.clock.now();
    const claimed = await this.deps.prisma.payment.updateMany({
      where: { id: paymentId, status: "REFUND_NEEDED", updatedAt: { lte: new Date(now.getTime() - MANUAL_RETRY_GUARD_MS) } },
      data: { updatedAt: now },
    });
    if (claimed.count === 0) {
      throw new DomainError("CONFLICT", "This payment is not waiting for a refund, or a refund attempt has just been made. Try again in a minute.");
    }
    await attemptRefund(this.deps, this.settings.rest, paymentId);
    return this.deps.prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, select: attentionSelect });
  }

  /** Payments of a club that need an officer: held for review, or money owed back. */
  async needingAttention(actor: UserActor, clubId: number) {
    await this.roles.requireClubManager(actor, clubId);
    return this.deps.prisma.payment.findMany({
      where: {
        status: { in: ["REVIEW", "REFUND_NEEDED"] },
        items: { some: { showing: { event: { clubId } } } },
      },
      select: attentionSelect,
      orderBy: { createdAt: "asc" },
    });
  }

  private async requireManager(actor: UserActor, paymentId: string) {
    const items = await this.deps.prisma.paymentItem.findMany({
      where: { paymentId },
      select: { showing: { select: { event: { select: { clubId: true } } } } },
    });
    const clubs = new Set(items.map((i) => i.showing.event.clubId));
    if (clubs.size === 0) throw notFound("Payment");
    for (const clubId of clubs) {
      if (!(await this.roles.canManageClub(actor, clubId))) throw notFound("Payment");
    }
  }

  private async recordDelivery(
    paymentId: string | null,
    channel: PaymentChannel,
    signatureValid: boolean,
    fields: Record<string, unknown>,
    decision?: string,
  ) {
    const posted = typeof fields.decision === "string" ? fields.decision.slice(0, 20) : null;
    await this.deps.prisma.paymentReply.create({
      data: {
        paymentId,
        channel,
        signatureValid,
        decision: decision ?? posted,
        fields: fields as Prisma.InputJsonValue,
        receivedAt: this.deps.clock.now(),
      },
    });
  }

  /** Links an unverifiable delivery to the attempt it claims to be for, for the audit trail only. */
  private async attemptIdFromUnverified(posted: Record<string, unknown>): Promise<string | null> {
    const uuid = posted.req_transaction_uuid;
    const reference = posted.req_reference_number;
    if (typeof uuid !== "string" || typeof reference !== "string") return null;
    const attempt = await this.deps.prisma.payment.findFirst({
      where: { transactionUuid: uuid, referenceNumber: reference },
      select: { id: true },
    });
    return attempt?.id ?? null;
  }
}

export { REFUND_RETRY_AFTER_MS };
