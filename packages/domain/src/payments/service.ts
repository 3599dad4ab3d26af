import { verifyReply, type SecureAcceptanceProfile, type VerifiedReply } from "@admit/cybersource";
import type { Prisma } from "@admit/db";
import type { UserActor } from "../actor.ts";
import { CART_TRANSACTION } from "../cart/store.ts";
import type { DomainDeps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { RATE_RULES, type RateLimits } from "../rate-limit.ts";
import type { Refunds } from "../refunds/service.ts";
import type { Roles } from "../roles.ts";
import { measureDelivery, REFUSED_DELIVERY_RETENTION_DAYS, type PaymentDelivery } from "./delivery.ts";
import { outcomeOf, type ReplyResult } from "./outcome.ts";
import { lockPayment, settleReply } from "./settle.ts";

export interface PaymentSettings {
  /** The origin browsers use; e-mail links are built from it. */
  publicUrl: string;
  /** The Secure Acceptance profile replies are verified against. */
  profile: SecureAcceptanceProfile;
}

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
    private readonly rateLimits: RateLimits,
    private readonly refunds: Refunds,
  ) {}

  /**
   * Verifies a posted reply strictly and applies it when it is genuine; the delivery is recorded either way. A genuine
   * (signed) reply is kept whole and never rate-limited, whatever its size: CyberSource's word about money is never
   * refused for its shape. Anything else is refused: as too large when it is bigger than any real reply (413), and
   * otherwise as unsigned or wrongly signed (400, 403); a refused delivery keeps only a small record with no values (see
   * `delivery.ts`), and refusals are limited per client address (429). Verifying costs at most one HMAC over the body
   * (within the server's body limit), since a signed field may be listed only once.
   */
  async receiveReply(delivery: PaymentDelivery): Promise<ReplyResult> {
    const posted = delivery.fields;
    const missing = ["signature", "signed_field_names"].filter((name) => typeof posted[name] !== "string" || posted[name] === "");
    const check = missing.length ? null : verifyReply(posted, this.settings.profile);
    if (check?.ok) return this.processReply(check.reply, delivery);

    const shape = measureDelivery(delivery);
    if (shape.oversize) {
      await this.refuse(delivery, shape, shape.oversize);
      throw new DomainError("PAYLOAD_TOO_LARGE", `This payment result is bigger than any genuine one (${shape.oversize}), so it was refused.`);
    }
    if (!check) {
      const message = `The payment result is missing ${missing.join(" and ")}, so nothing was changed.`;
      await this.refuse(delivery, shape, `missing ${missing.join(" and ")}`);
      throw new DomainError("VALIDATION_FAILED", message);
    }
    await this.refuse(delivery, shape, check.reason);
    throw new DomainError("PAYMENT_SIGNATURE_INVALID", "This payment result could not be verified, so nothing was changed.", {
      details: { reason: check.reason },
    });
  }

  /**
   * For the periodic job: deletes the small records of refused deliveries older than the retention period
   * (REFUSED_DELIVERY_RETENTION_DAYS). Verified replies are never deleted.
   */
  async pruneRefusedDeliveries(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - REFUSED_DELIVERY_RETENTION_DAYS * 86_400_000);
    const { count } = await this.deps.prisma.paymentReply.deleteMany({
      where: { signatureValid: false, receivedAt: { lt: cutoff } },
    });
    return count;
  }

  /**
   * Applies a verified reply to its attempt (found by transaction uuid AND reference number) under a row lock.
   * Repeats and late arrivals return the outcome already recorded. Amount or currency that differ from the attempt,
   * or a partial approval, assign nothing and put the attempt up for review (PAYMENT_MISMATCH).
   */
  private async processReply(reply: VerifiedReply, delivery: PaymentDelivery): Promise<ReplyResult> {
    const attempt = await this.deps.prisma.payment.findFirst({
      where: { transactionUuid: reply.transactionUuid, referenceNumber: reply.referenceNumber },
      select: { id: true, referenceNumber: true },
    });
    // A signed reply for an attempt we do not know is still the processor's word about money: kept whole too.
    await this.deps.prisma.paymentReply.create({
      data: {
        paymentId: attempt?.id ?? null,
        channel: delivery.channel,
        signatureValid: true,
        decision: reply.decision,
        fields: reply.fields,
        fieldCount: Object.keys(reply.fields).length,
        bodyBytes: delivery.bodyBytes,
        bodyDigest: delivery.bodyDigest,
        clientAddress: delivery.clientAddress,
        receivedAt: this.deps.clock.now(),
      },
    });
    if (!attempt) throw notFound("The checkout this payment result is for");

    const settlement = await this.deps.prisma.$transaction(async (tx) => {
      const payment = await lockPayment(tx, attempt.id);
      if (!payment) throw notFound("The checkout this payment result is for");
      return settleReply(tx, this.deps, payment, reply, this.refunds.requestDeps);
    }, CART_TRANSACTION);

    if (settlement.kind === "mismatch") {
      throw new DomainError(
        "PAYMENT_MISMATCH",
        "This payment does not match the checkout it is for, so no tickets were issued. Our officers will review it; please contact the club.",
        { details: { reference: attempt.referenceNumber } },
      );
    }
    let status = settlement.status;
    if (settlement.refunds.length) {
      // A late payment's refunds go out at once when they are automatic; the attempt is REFUNDED when all succeeded.
      await this.refunds.sendSoon(settlement.refunds);
      status = (await this.deps.prisma.payment.findUniqueOrThrow({ where: { id: attempt.id }, select: { status: true } })).status;
    }
    return { paymentId: attempt.id, referenceNumber: attempt.referenceNumber, status, outcome: outcomeOf(status) };
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

  /**
   * Counts a refusal against the sender's address (429 past the limit, with nothing recorded) and keeps its small
   * record: why, which field names, sizes, the body's digest, channel and address, never a value, and the attempt it
   * names (an oversized one too: were a genuine reply ever over the caps, its checkout can be found).
   */
  private async refuse(delivery: PaymentDelivery, shape: ReturnType<typeof measureDelivery>, reason: string) {
    await this.rateLimits.countFailure(
      RATE_RULES.refusedPayment,
      delivery.clientAddress,
      "Too many payment results from your address were refused. Wait a minute before sending more.",
    );
    const paymentId = await this.attemptIdFromUnverified(delivery.fields);
    await this.deps.prisma.paymentReply.create({
      data: {
        paymentId,
        channel: delivery.channel,
        signatureValid: false,
        refusal: reason.slice(0, 200),
        fieldNames: shape.fieldNames,
        fieldCount: shape.fieldCount,
        bodyBytes: delivery.bodyBytes,
        bodyDigest: delivery.bodyDigest,
        clientAddress: delivery.clientAddress,
        receivedAt: this.deps.clock.now(),
      },
    });
  }

  /** Links an unverifiable delivery to the attempt it claims to be for, for the audit trail only. */
  private async attemptIdFromUnverified(posted: Record<string, unknown>): Promise<string | null> {
    const uuid = posted.req_transaction_uuid;
    const reference = posted.req_reference_number;
    if (typeof uuid !== "string" || typeof reference !== "string") return null;
    // Columns are at most 50 characters (cybersource.md §2); nothing longer can match.
    if (uuid.length > 64 || reference.length > 64) return null;
    const attempt = await this.deps.prisma.payment.findFirst({
      where: { transactionUuid: uuid, referenceNumber: reference },
      select: { id: true },
    });
    return attempt?.id ?? null;
  }
}
