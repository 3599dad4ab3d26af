import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "./generated/client.ts";

/** Unique, readable values so tests can share one database without seeing each other's rows. */
export function unique(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

export async function createUser(
  prisma: PrismaClient,
  data: Partial<Prisma.UserUncheckedCreateInput> = {},
) {
  const username = data.username ?? unique("user");
  return prisma.user.create({
    data: {
      id: randomUUID(),
      username,
      email: `${username}@example.edu`,
      fullName: `Test ${username}`,
      ...data,
    },
  });
}

export async function createClub(
  prisma: PrismaClient,
  data: Partial<Prisma.ClubUncheckedCreateInput> & { officers?: string[]; owners?: string[] } = {},
) {
  const { officers = [], owners = [], ...club } = data;
  const code = club.code ?? unique("club");
  return prisma.club.create({
    data: {
      code,
      name: `Club ${code}`,
      approved: true,
      ...club,
      memberships: {
        create: [
          ...owners.map((userId) => ({ userId, role: "OWNER" as const })),
          ...officers.map((userId) => ({ userId, role: "OFFICER" as const })),
        ],
      },
    },
  });
}

export async function createEvent(prisma: PrismaClient, clubId: number, data: Partial<Prisma.EventUncheckedCreateInput> = {}) {
  return prisma.event.create({ data: { clubId, name: unique("Event "), ...data } });
}

const HOUR = 3_600_000;

export async function createShowing(
  prisma: PrismaClient,
  eventId: number,
  data: Partial<Prisma.ShowingUncheckedCreateInput> = {},
) {
  const start = new Date(Date.now() + 24 * HOUR);
  return prisma.showing.create({
    data: { eventId, startTime: start, endTime: new Date(start.getTime() + 3 * HOUR), location: "Main Hall", ...data },
  });
}

export interface TicketBatch {
  type: string;
  count: number;
  price?: string | number;
  groupDiscount?: string | number;
  groupSize?: number | null;
  transferable?: boolean;
  buyable?: boolean;
}

export async function createTickets(prisma: PrismaClient, showingId: number, batch: TicketBatch) {
  const { count, price = 0, groupDiscount = 0, groupSize = null, ...rest } = batch;
  await prisma.ticket.createMany({
    data: Array.from({ length: count }, () => ({
      showingId,
      price: String(price),
      groupDiscount: String(groupDiscount),
      groupSize,
      ...rest,
    })),
  });
  return prisma.ticket.findMany({ where: { showingId, type: batch.type }, orderBy: { id: "asc" } });
}
