import type { PaymentChannel } from "./outcome.ts";

/** One POST to a payment callback, as the transport received it. */
export interface PaymentDelivery {
  channel: PaymentChannel;
  /** The parsed form fields; a field sent twice arrives as a list. */
  fields: Record<string, unknown>;
  /** Size of the raw body in bytes, and its SHA-256 (hex): what a refused delivery is remembered by. */
  bodyBytes: number;
  bodyDigest: string;
  /** The sender's address as the HTTP layer trusts it. */
  clientAddress: string;
}

/**
 * Caps on a reply, far above any genuine one and far below the server's 1 MB body limit. A Hosted Checkout reply
 * has some 30 to 100 fields (cybersource.md: the `req_` echo of the request, `auth_`, `payer_authentication_`, up to
 * 100 `req_merchant_defined_data`); the longest values are URLs (255) and `signed_field_names`, a comma-separated
 * list of up to a few hundred names, so 200 fields of at most 4,000 characters, in at most 64 KB.
 */
export const REPLY_LIMITS = {
  maxBodyBytes: 64 * 1024,
  maxFields: 200,
  maxNameLength: 100,
  maxValueLength: 4_000,
} as const;

/** A refused delivery keeps at most this many field names, each cut to this length: a fixed-size record. */
export const REFUSED_RECORD_LIMITS = { maxNames: 40, maxNameLength: 40 } as const;

/** Refused deliveries' records are deleted after this many days; verified replies are kept. */
export const REFUSED_DELIVERY_RETENTION_DAYS = 30;

export interface DeliveryShape {
  /** Every value counted, a repeated field once per value. */
  fieldCount: number;
  /** The first distinct names, capped in number and length. */
  fieldNames: string[];
  /** Why the delivery is bigger than a genuine reply can be, or null. */
  oversize: string | null;
}

export function measureDelivery(delivery: PaymentDelivery): DeliveryShape {
  const names = Object.keys(delivery.fields);
  let fieldCount = 0;
  let longestValue = 0;
  for (const value of Object.values(delivery.fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      fieldCount += 1;
      longestValue = Math.max(longestValue, typeof item === "string" ? item.length : String(item).length);
    }
  }
  const longestName = names.reduce((max, name) => Math.max(max, name.length), 0);
  const limits = REPLY_LIMITS;
  const oversize =
    delivery.bodyBytes > limits.maxBodyBytes
      ? `body of ${delivery.bodyBytes} bytes, over ${limits.maxBodyBytes}`
      : fieldCount > limits.maxFields
        ? `${fieldCount} fields, over ${limits.maxFields}`
        : longestValue > limits.maxValueLength
          ? `a value of ${longestValue} characters, over ${limits.maxValueLength}`
          : longestName > limits.maxNameLength
            ? `a field name of ${longestName} characters, over ${limits.maxNameLength}`
            : null;
  const fieldNames = names.slice(0, REFUSED_RECORD_LIMITS.maxNames).map((name) => name.slice(0, REFUSED_RECORD_LIMITS.maxNameLength));
  return { fieldCount, fieldNames, oversize };
}
