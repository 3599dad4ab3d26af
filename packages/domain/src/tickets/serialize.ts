import type { Prisma } from "@admit/db";
import { formatMoney } from "../money.ts";
import { zoneOfClub } from "../time-zone.ts";

/** What every ticket response needs, read in one query. */
export const ticketViewSelect = {
  id: true,
  type: true,
  price: true,
  amountPaid: true,
  transferable: true,
  attended: true,
  attendedAt: true,
  qrGeneration: true,
  exchangeAllowed: true,
  exchangeListedAt: true,
  ownerId: true,
  owner: { select: { fullName: true } },
  showing: {
    select: {
      id: true,
      startTime: true,
      endTime: true,
      location: true,
      event: { select: { id: true, name: true, club: { select: { id: true, code: true, name: true, timeZone: true } } } },
    },
  },
} satisfies Prisma.TicketSelect;

export type TicketRow = Prisma.TicketGetPayload<{ select: typeof ticketViewSelect }>;

/** A ticket in the seed API's shape and key names (start_time, club_name, ...), plus what we add. */
export interface TicketView {
  id: string;
  showing: {
    id: number;
    start_time: Date;
    end_time: Date;
    location: string | null;
    /** The club's IANA zone: calendar files are written in it. */
    time_zone: string;
  };
  event: { id: number; name: string; club: string; club_name: string };
  type: string;
  owner: string | null;
  attended: boolean;
  price: string;
  amount_paid: string | null;
  transferable: boolean;
  attended_at: Date | null;
  qr_generation: number;
  /** The face-value exchange: whether the ticket's type allows it, and since when its owner offers it. */
  exchange: { allowed: boolean; listed_at: Date | null };
}

export function toTicketView(row: TicketRow, siteTimeZone: string | undefined): TicketView {
  const { showing } = row;
  return {
    id: row.id,
    showing: {
      id: showing.id,
      start_time: showing.startTime,
      end_time: showing.endTime,
      location: showing.location,
      time_zone: zoneOfClub(showing.event.club.timeZone, siteTimeZone),
    },
    event: {
      id: showing.event.id,
      name: showing.event.name,
      club: showing.event.club.code,
      club_name: showing.event.club.name,
    },
    type: row.type,
    owner: row.owner?.fullName ?? null,
    attended: row.attended,
    price: formatMoney(row.price),
    amount_paid: row.amountPaid === null ? null : formatMoney(row.amountPaid),
    transferable: row.transferable,
    attended_at: row.attendedAt,
    qr_generation: row.qrGeneration,
    exchange: { allowed: row.exchangeAllowed, listed_at: row.exchangeListedAt },
  };
}
