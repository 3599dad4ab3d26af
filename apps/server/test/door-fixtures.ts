import { createClub, createEvent, createShowing, createTickets, createUser } from "@admit/db/factories";
import type { TestServer } from "./harness.ts";

export interface DoorClub {
  officerToken: string;
  clubId: number;
  /** The showing with tickets; `owned` are its first `sold` tickets, each with its own holder named "Guest n". */
  showingId: number;
  /** A second showing of the same event, without tickets. */
  otherShowingId: number;
  owned: string[];
}

/** An officer's club with an event of two showings, and `count` General tickets on the first, `sold` of them owned. */
export async function doorClub(server: TestServer, opts: { count: number; sold: number }): Promise<DoorClub> {
  const { prisma } = server.db;
  const officer = await server.createAccount();
  const club = await createClub(prisma, { officers: [officer.id] });
  const event = await createEvent(prisma, club.id);
  const showingId = (await createShowing(prisma, event.id)).id;
  const otherShowingId = (await createShowing(prisma, event.id)).id;
  const tickets = await createTickets(prisma, showingId, { type: "General", count: opts.count, price: "10.00" });
  const owned: string[] = [];
  for (const t of tickets.slice(0, opts.sold)) {
    const holder = await createUser(prisma, { fullName: `Guest ${owned.length}` });
    await prisma.ticket.update({ where: { id: t.id }, data: { ownerId: holder.id } });
    owned.push(t.id);
  }
  return { officerToken: await server.tokenFor(officer.username), clubId: club.id, showingId, otherShowingId, owned };
}
