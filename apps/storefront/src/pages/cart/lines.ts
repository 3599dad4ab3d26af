import type { Outputs } from "../../lib/api-types.ts";

type Cart = Outputs["cart"]["get"];
export type CartLine = Cart["lines"][number];

export interface CartGroup {
  showingId: number;
  eventId: number;
  eventName: string;
  clubName: string;
  start: string;
  end: string;
  location: string | null;
  /** The server's priced lines of this showing, one per type, in the order they were first added. */
  lines: CartLine[];
  /** How many more tickets of this showing the order limit allows. */
  remaining: number;
}

/** The cart's lines grouped per showing (the showing's details come from its tickets). */
export function groupCart(cart: Cart): CartGroup[] {
  const groups = new Map<number, CartGroup>();
  for (const t of cart.tickets) {
    if (groups.has(t.showing.id)) continue;
    groups.set(t.showing.id, {
      showingId: t.showing.id,
      eventId: t.event.id,
      eventName: t.event.name,
      clubName: t.event.club_name,
      start: t.showing.start_time,
      end: t.showing.end_time,
      location: t.showing.location,
      lines: [],
      remaining: cart.allowances.find((a) => a.showing_id === t.showing.id)?.remaining ?? 0,
    });
  }
  for (const line of cart.lines) groups.get(line.showing_id)?.lines.push(line);
  return [...groups.values()];
}
