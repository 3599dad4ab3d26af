import { Prisma } from "@admit/db";
import { DomainError } from "./errors.ts";
import { sqlTime } from "./sql-time.ts";

/**
 * The one home of "a ticket that can be sold" (after pretix's QuotaAvailability: one authority answers what is free,
 * holds included). A ticket can be sold when nobody owns it, it is not void (refunded or cancelled out of
 * circulation), nobody else holds it under a hold that has not expired (an expired hold is no hold, whether or not
 * the sweeper has cleared it yet), it is for public sale (`buyable`), its type's sales are neither paused nor past
 * their end, and its showing is on sale (not paused, not cancelled). A ticket its owner offers on the face-value
 * exchange (`exchangeListedAt`, not used at the door) counts as nobody's for a sale or a handover (to anyone but its
 * owner), never for complimentary tickets: it stays its owner's until someone buys it. Every claim, count and check uses
 * `sellableSql` (inside a statement) or `isSellable` (on rows already loaded); the sale window on its own is
 * `onSaleSql` / `saleState`, a type's own switch `typeSaleState`.
 */

/**
 * Why tickets are being looked for; each purpose carries its own rule about reserved (not `buyable`) tickets:
 * - `sale`: a student buying. Only tickets for public sale, of a type on sale (not paused, sales not ended), of a
 *   showing not paused.
 * - `complimentary`: officers handing out tickets. Reserved tickets are meant for exactly this, and neither the sale
 *   window nor a pause applies (comps are given before the drop, while sales are paused, and to people the order
 *   limit would stop).
 * - `handover`: tickets the order already claimed change hands. Whatever the claim allowed stays allowed; only a
 *   sale or someone else's hold since then refuses them.
 * Every purpose refuses void tickets and cancelled showings. `sale` and `handover` take tickets listed on the
 * exchange as well as unowned ones; `complimentary` only unowned ones.
 */
export type Purpose = "sale" | "complimentary" | "handover";

export interface SellableRule {
  now: Date;
  purpose: Purpose;
  /** SQL alias of the "Ticket" row; `t` unless given. */
  ticket?: string;
  /**
   * SQL alias of the ticket's "Showing" row when the statement joins it (the sale window's showing counts too);
   * without one, the showing's pause and cancellation are read by a subquery.
   */
  showing?: string;
  /**
   * The buyer (a SQL expression of a user id): their own unexpired hold is theirs, not a hold against them, and a
   * ticket they own is never sold to them.
   */
  holder?: Prisma.Sql;
  /** The buyer, where their own holds must still count as holds (a payment honoured late): only never their own ticket. */
  buyer?: Prisma.Sql;
  /** A paid checkout attempt (SQL uuid): tickets it holds stay its own, even if taken off public sale since. */
  heldFor?: Prisma.Sql;
  /**
   * The sale window, checked against these aliases of the ticket's "Showing" and "Club" rows: `buying` (a student
   * buying now: showing not ended, past its drop time, club approved and not archived) or `paid` (honouring a
   * payment already made: only that the showing has not ended). Left out where the caller checks it once per
   * showing, or where it does not apply.
   */
  saleWindow?: { showing: string; club: string; rule: "buying" } | { showing: string; rule: "paid" };
}

const column = (alias: string, name: string) => Prisma.raw(`${alias}."${name}"`);

/** The ticket is under a hold that has not expired (a hold without an expiry never lapses). */
export function underHoldSql(now: Date, ticket = "t"): Prisma.Sql {
  return Prisma.sql`(${column(ticket, "holderId")} IS NOT NULL AND (${column(ticket, "holdExpiresAt")} IS NULL OR ${column(ticket, "holdExpiresAt")} > ${sqlTime(now)}))`;
}

/** The showing `showing` (of the club `club`) sells tickets right now; `saleState` below is the same rule. */
export function onSaleSql(showing: string, club: string, now: Date): Prisma.Sql {
  const at = sqlTime(now);
  return Prisma.sql`${column(showing, "endTime")} > ${at} AND (${column(showing, "ticketDropTime")} IS NULL OR ${column(showing, "ticketDropTime")} <= ${at}) AND ${column(club, "approved")} AND NOT ${column(club, "archived")} AND NOT ${column(showing, "salesPaused")} AND ${column(showing, "cancelledAt")} IS NULL`;
}

/** The ticket's type sells right now (its rows share the setting): `typeSaleState` below is the same rule. */
export function typeOnSaleSql(now: Date, ticket = "t"): Prisma.Sql {
  return Prisma.sql`NOT ${column(ticket, "salesPaused")} AND (${column(ticket, "salesEndAt")} IS NULL OR ${column(ticket, "salesEndAt")} > ${sqlTime(now)})`;
}

/**
 * Nobody owns the ticket, or (for a sale or a handover) its owner offers it on the exchange and it was not used at
 * the door; the buyer, when known, is not that owner.
 */
export function unownedOrListedSql(rule: Pick<SellableRule, "purpose" | "ticket" | "holder" | "buyer">): Prisma.Sql {
  const t = rule.ticket ?? "t";
  if (rule.purpose === "complimentary") return Prisma.sql`${column(t, "ownerId")} IS NULL`;
  const buyer = rule.buyer ?? rule.holder;
  const notOwnersOwn = buyer ? Prisma.sql` AND ${column(t, "ownerId")} <> ${buyer}` : Prisma.empty;
  return Prisma.sql`(${column(t, "ownerId")} IS NULL OR (${column(t, "exchangeListedAt")} IS NOT NULL AND NOT ${column(t, "attended")}${notOwnersOwn}))`;
}

/**
 * Prisma's form of "a ticket whose holds are buyers' holds" (unowned, or listed on the exchange), for releasing
 * holds with the query builder: an owner's own ticket is never held by anyone else otherwise.
 */
export const unownedOrListedWhere: Prisma.TicketWhereInput = { OR: [{ ownerId: null }, { exchangeListedAt: { not: null } }] };

/** The condition, for a WHERE or a FILTER, that the ticket can be sold under `rule`. */
export function sellableSql(rule: SellableRule): Prisma.Sql {
  const t = rule.ticket ?? "t";
  const at = sqlTime(rule.now);
  const showingAlias = rule.showing ?? rule.saleWindow?.showing;
  const showingFact = (name: "salesPaused" | "cancelledAt") =>
    showingAlias
      ? column(showingAlias, name)
      : Prisma.sql`(SELECT stop.${Prisma.raw(`"${name}"`)} FROM "Showing" stop WHERE stop.id = ${column(t, "showingId")})`;
  const holdFree = rule.holder
    ? Prisma.sql`(${column(t, "holderId")} IS NULL OR ${column(t, "holderId")} = ${rule.holder} OR ${column(t, "holdExpiresAt")} <= ${at})`
    : Prisma.sql`(${column(t, "holderId")} IS NULL OR ${column(t, "holdExpiresAt")} <= ${at})`;
  const free =
    rule.purpose === "sale"
      ? Prisma.sql`${column(t, "buyable")} AND ${typeOnSaleSql(rule.now, t)} AND NOT ${showingFact("salesPaused")} AND ${holdFree}`
      : holdFree;
  // A paid attempt's own held tickets stay its own through a pause (the buyer already paid), never through a void.
  const claimable = rule.heldFor ? Prisma.sql`(${column(t, "heldForPaymentId")} = ${rule.heldFor} OR (${free}))` : free;
  const window = rule.saleWindow
    ? rule.saleWindow.rule === "buying"
      ? Prisma.sql` AND ${onSaleSql(rule.saleWindow.showing, rule.saleWindow.club, rule.now)}`
      : Prisma.sql` AND ${column(rule.saleWindow.showing, "endTime")} > ${at}`
    : Prisma.empty;
  return Prisma.sql`${unownedOrListedSql(rule)} AND ${column(t, "voidedAt")} IS NULL AND ${showingFact("cancelledAt")} IS NULL AND ${claimable}${window}`;
}

/** `sellableSql` negated: sold, or held by someone else (a NULL in the comparison counts as not sellable). */
export function notSellableSql(rule: SellableRule): Prisma.Sql {
  return Prisma.sql`NOT COALESCE(${sellableSql(rule)}, false)`;
}

/** Prisma's form of `underHoldSql`, for queries written with the query builder. */
export function underHoldWhere(now: Date): Prisma.TicketWhereInput {
  return { holderId: { not: null }, OR: [{ holdExpiresAt: null }, { holdExpiresAt: { gt: now } }] };
}

export interface ShowingSaleFacts {
  endTime: Date;
  ticketDropTime: Date | null;
  salesPaused: boolean;
  cancelledAt: Date | null;
  event: { club: { approved: boolean; archived: boolean } };
}

export type SaleState = "ON_SALE" | "ENDED" | "NOT_YET" | "CLOSED" | "PAUSED" | "CANCELLED";

/** Whether a showing's tickets can be put in carts and bought right now (`onSaleSql` inside a statement). */
export function saleState(showing: ShowingSaleFacts, now: Date): SaleState {
  if (showing.cancelledAt) return "CANCELLED";
  if (showing.endTime <= now) return "ENDED";
  if (!showing.event.club.approved || showing.event.club.archived) return "CLOSED";
  if (showing.salesPaused) return "PAUSED";
  if (showing.ticketDropTime && showing.ticketDropTime > now) return "NOT_YET";
  return "ON_SALE";
}

export function requireOnSale(showing: ShowingSaleFacts, now: Date): void {
  switch (saleState(showing, now)) {
    case "CANCELLED":
      throw new DomainError("SHOWING_CANCELLED", "This showing has been cancelled, so it sells no tickets.");
    case "ENDED":
      throw new DomainError("SHOWING_ENDED", "This showing has already ended.");
    case "CLOSED":
      throw new DomainError("NOT_ON_SALE", "This club is not selling tickets right now.");
    case "PAUSED":
      throw new DomainError("SALES_PAUSED", "Sales for this showing are paused right now. Try again later.");
    case "NOT_YET":
      throw new DomainError("NOT_ON_SALE", "Tickets for this showing are not on sale yet.");
    case "ON_SALE":
      return;
  }
}

/** A ticket type's own sale switch and end time (every ticket of a type carries the same values). */
export interface TypeSaleFacts {
  salesPaused: boolean;
  salesEndAt: Date | null;
}

export type TypeSaleState = "ON_SALE" | "PAUSED" | "SALES_ENDED";

/** Whether a ticket type sells right now, its showing aside (`typeOnSaleSql` inside a statement). */
export function typeSaleState(type: TypeSaleFacts, now: Date): TypeSaleState {
  if (type.salesPaused) return "PAUSED";
  if (type.salesEndAt && type.salesEndAt <= now) return "SALES_ENDED";
  return "ON_SALE";
}

export function requireTypeOnSale(typeName: string, type: TypeSaleFacts, now: Date): void {
  switch (typeSaleState(type, now)) {
    case "PAUSED":
      throw new DomainError("SALES_PAUSED", `Sales of "${typeName}" tickets are paused right now. Try again later.`, {
        details: { type: typeName },
      });
    case "SALES_ENDED":
      throw new DomainError("SALES_ENDED", `Sales of "${typeName}" tickets have ended.`, { details: { type: typeName } });
    case "ON_SALE":
      return;
  }
}

export interface TicketSaleFacts extends TypeSaleFacts {
  type: string;
  ownerId: string | null;
  /** Set while the owner offers the ticket on the exchange. */
  exchangeListedAt: Date | null;
  attended: boolean;
  buyable: boolean;
  voidedAt: Date | null;
  holderId: string | null;
  holdExpiresAt: Date | null;
  showing: ShowingSaleFacts;
}

/** Someone other than `holder` holds the ticket under a hold that has not expired (an expired hold is no hold). */
export function heldByOther(ticket: { holderId: string | null; holdExpiresAt: Date | null }, holder: string, now: Date): boolean {
  return ticket.holderId !== null && ticket.holderId !== holder && (ticket.holdExpiresAt === null || ticket.holdExpiresAt > now);
}

/** `sellableSql` for a loaded ticket, bought by `holder` now: a student buying, sale window included. */
export function isSellable(ticket: TicketSaleFacts, rule: { now: Date; holder: string }): boolean {
  const { now, holder } = rule;
  const unownedOrListed =
    ticket.ownerId === null || (ticket.exchangeListedAt !== null && !ticket.attended && ticket.ownerId !== holder);
  return (
    unownedOrListed &&
    ticket.voidedAt === null &&
    ticket.buyable &&
    !heldByOther(ticket, holder, now) &&
    typeSaleState(ticket, now) === "ON_SALE" &&
    saleState(ticket.showing, now) === "ON_SALE"
  );
}

/**
 * Not sellable now only because its showing or its type is paused: such a ticket stays in carts (checkout says sales
 * are paused), to be bought once sales resume, rather than being reported sold out.
 */
export function pausedOnly(ticket: TicketSaleFacts, rule: { now: Date; holder: string }): boolean {
  if (!ticket.salesPaused && !ticket.showing.salesPaused) return false;
  const resumed = { ...ticket, salesPaused: false, showing: { ...ticket.showing, salesPaused: false } };
  return !isSellable(ticket, rule) && isSellable(resumed, rule);
}

/**
 * The refusal a student should see, instead of "no longer available", when a loaded ticket's showing was cancelled
 * or paused or its type was paused or stopped selling; nothing otherwise.
 */
export function requireNotStopped(ticket: TicketSaleFacts, now: Date): void {
  const showing = saleState(ticket.showing, now);
  if (showing === "CANCELLED" || showing === "PAUSED") requireOnSale(ticket.showing, now);
  requireTypeOnSale(ticket.type, ticket, now);
}
