import type { QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { Outputs } from "./api-types.ts";
import { plural } from "./format.ts";

/**
 * The server tells about sold-out cart tickets once, in the answer that removed them from the cart. Whichever part
 * of the page fetched the cart, the notice is kept here until the student dismisses it.
 */
export interface CartNotice {
  id: string;
  text: string;
}

type Cart = Outputs["cart"]["get"];
type SoldOutEntry = Cart["sold_out"][number];

let notices: CartNotice[] = [];
const listeners = new Set<() => void>();
let sequence = 0;

function emit() {
  for (const listener of listeners) listener();
}

export function soldOutText(entry: SoldOutEntry): string {
  const tickets = plural(entry.count, `${entry.type} ticket`);
  const verb = entry.count === 1 ? "was" : "were";
  return `${entry.event.name}: ${tickets} sold out while in your cart and ${verb} removed.`;
}

export function addSoldOutNotices(entries: SoldOutEntry[]) {
  if (entries.length === 0) return;
  notices = [...notices, ...entries.map((entry) => ({ id: `n${++sequence}`, text: soldOutText(entry) }))];
  emit();
}

export function dismissCartNotice(id: string) {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

export function clearCartNotices() {
  notices = [];
  emit();
}

export function useCartNotices(): CartNotice[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notices,
  );
}

/** tRPC's query keys start with the procedure's path as an array: [["cart", "get"], ...]. */
function isCartQuery(queryKey: unknown): boolean {
  const path: unknown = Array.isArray(queryKey) ? queryKey[0] : undefined;
  return Array.isArray(path) && path.join(".") === "cart.get";
}

/** Collects `sold_out` from every successful cart fetch, once per fetch. */
export function watchCartNotices(queryClient: QueryClient): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success" || !isCartQuery(event.query.queryKey)) return;
    // The cache holds every query's answer as unknown; a cart.get answer is the cart procedure's output.
    const cart = event.action.data as Cart | undefined;
    addSoldOutNotices(cart?.sold_out ?? []);
  });
}
