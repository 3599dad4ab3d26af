import type { Outputs } from "../../lib/api-types.ts";
import { unitPriceFor } from "../../lib/format.ts";

type CartTicket = Outputs["cart"]["get"]["tickets"][number];

export interface CartLine {
  key: string;
  type: string;
  count: number;
  price: string;
  rule: { size: number; fraction: string } | null;
  /** What the line costs with its group discount, in dollars. */
  amount: number;
  discounted: boolean;
}

export interface CartGroup {
  showingId: number;
  eventId: number;
  eventName: string;
  clubName: string;
  start: string;
  end: string;
  location: string | null;
  lines: CartLine[];
}

/** The cart's tickets as lines per showing and type, in the order they were added. */
export function groupCart(tickets: CartTicket[]): CartGroup[] {
  const groups = new Map<number, CartGroup>();
  const counts = new Map<string, { ticket: CartTicket; count: number }>();
  for (const t of tickets) {
    if (!groups.has(t.showing.id)) {
      groups.set(t.showing.id, {
        showingId: t.showing.id,
        eventId: t.event.id,
        eventName: t.event.name,
        clubName: t.event.club_name,
        start: t.showing.start_time,
        end: t.showing.end_time,
        location: t.showing.location,
        lines: [],
      });
    }
    const key = `${t.showing.id}:${t.type}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { ticket: t, count: 1 });
  }
  for (const [key, { ticket, count }] of counts) {
    const rule = ticket.group_size && Number(ticket.group_discount) > 0 ? { size: ticket.group_size, fraction: ticket.group_discount } : null;
    const unit = unitPriceFor(ticket.price, count, rule);
    groups.get(ticket.showing.id)!.lines.push({
      key,
      type: ticket.type,
      count,
      price: ticket.price,
      rule,
      amount: Math.round(unit * count * 100) / 100,
      discounted: unit < Number(ticket.price),
    });
  }
  return [...groups.values()];
}

export function listPriceTotal(tickets: CartTicket[]): number {
  return Math.round(tickets.reduce((sum, t) => sum + Number(t.price) * 100, 0)) / 100;
}
