/**
 * A fresh key for one refund request (per dialog opening). getRandomValues works on plain-http development hosts too,
 * where crypto.randomUUID is missing.
 */
export function newRequestKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `refund-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
