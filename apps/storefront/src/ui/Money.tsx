import { formatPrice, formatUsd } from "../lib/format.ts";

/** A price from the server ("15.00"); `free` says "Free" for zero. Strikes through when `was` is set. */
export function Money({ amount, free = false, was }: { amount: string; free?: boolean; was?: boolean }) {
  const text = free ? formatPrice(amount) : formatUsd(amount);
  return was ? <s className="money money-was">{text}</s> : <span className="money">{text}</span>;
}
