import type { PaymentRequest } from "@admit/cybersource";

/**
 * The fields of a Secure Acceptance payment request. The domain does not sign: the server hands it a signer built
 * from its CyberSource profile.
 */
export type PaymentRequestFields = PaymentRequest;

/** Returns every field the browser posts to the hosted payment page, `signature` included. */
export type PaymentRequestSigner = (request: PaymentRequestFields) => Record<string, string>;

export interface CheckoutOptions {
  /** How long a checkout holds its tickets (10 minutes unless configured). */
  holdMinutes: number;
  /** The origin browsers use; the receipt URL and e-mail links are built from it. */
  publicUrl: string;
  /** The hosted payment page the browser posts the signed fields to. */
  paymentPageUrl: string;
  signPaymentRequest: PaymentRequestSigner;
}

/** Where CyberSource sends the customer's browser with the signed result (H3's payment_complete handler). */
export const receiptUrl = (publicUrl: string) => `${publicUrl}/api/tickets/payment_complete/`;

/** CyberSource wants a first and a last name; people write their names in many ways. */
export function billingName(fullName: string): { forename: string; surname: string } {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { forename: "Guest", surname: "User" };
  if (parts.length === 1) return { forename: parts[0]!, surname: parts[0]! };
  return { forename: parts.slice(0, -1).join(" "), surname: parts[parts.length - 1]! };
}
