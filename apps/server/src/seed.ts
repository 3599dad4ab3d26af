import { createLocalAccount } from "@admit/auth";
import type { Runtime } from "./runtime.ts";

export const DEMO_PASSWORD = "admit-demo-2026";

export const demoAccounts = {
  admin: { fullName: "Sam Admin", role: "site administrator" },
  alice: { fullName: "Alice Park", role: "owner of the Film Society" },
  oscar: { fullName: "Oscar Reyes", role: "officer of the Film Society" },
  bob: { fullName: "Bob Nguyen", role: "owner of the Jazz Ensemble" },
  priya: { fullName: "Priya Shah", role: "officer of the Jazz Ensemble" },
  carol: { fullName: "Carol Diaz", role: "student" },
  dave: { fullName: "Dave Kim", role: "student" },
  erin: { fullName: "Erin Walsh", role: "student" },
  frank: { fullName: "Frank Osei", role: "student" },
  grace: { fullName: "Grace Liu", role: "student" },
} as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Fills an empty database with the demo clubs, people, events and tickets listed in the README.
 * Runs once per database: the first server process to claim the marker seeds, the others skip.
 */
export async function seedDemoData(runtime: Runtime): Promise<boolean> {
  const { prisma } = runtime.db;
  if ((await prisma.user.count()) > 0) return false;
  const claimed = await prisma.serverSetting.createMany({
    data: [{ key: "demo.seeded", value: new Date().toISOString() }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) return false;

  const ids: Record<string, string> = {};
  for (const [username, account] of Object.entries(demoAccounts)) {
    const { id } = await createLocalAccount(runtime.auth, {
      username,
      password: DEMO_PASSWORD,
      email: `${username}@demo.admit.test`,
      fullName: account.fullName,
      // Demo addresses cannot receive a confirmation link; as confirmed addresses they get officers' e-mail blasts.
      emailVerified: true,
    });
    ids[username] = id;
  }
  await prisma.user.update({ where: { id: ids.admin }, data: { isSiteAdmin: true } });

  const now = runtime.clock.now().getTime();
  const at = (days: number, hours = 19) => new Date(Math.floor((now + days * DAY) / DAY) * DAY + hours * HOUR);

  const film = await prisma.club.create({
    data: {
      code: "film",
      name: "Film Society",
      description: "Screenings, talks and the spring short-film festival.",
      approved: true,
      memberships: {
        create: [
          { userId: ids.alice!, role: "OWNER" },
          { userId: ids.oscar!, role: "OFFICER" },
          { userId: ids.carol!, role: "MEMBER" },
        ],
      },
    },
  });
  const jazz = await prisma.club.create({
    data: {
      code: "jazz",
      name: "Jazz Ensemble",
      description: "Big band and small combos, on campus every term.",
      approved: true,
      memberships: {
        create: [
          { userId: ids.bob!, role: "OWNER" },
          { userId: ids.priya!, role: "OFFICER" },
        ],
      },
    },
  });

  // A free showing: claimed at once at checkout.
  const screening = await prisma.event.create({
    data: {
      clubId: film.id,
      name: "Friday Night Screening: Casablanca",
      description: "A free screening in the big lecture hall. Popcorn on us.",
      showings: {
        create: [{ startTime: at(6, 20), endTime: at(6, 22), location: "Irvine Auditorium", ticketOrderLimit: 4 }],
      },
    },
    include: { showings: true },
  });
  await prisma.ticket.createMany({
    data: Array.from({ length: 120 }, () => ({ showingId: screening.showings[0]!.id, type: "General", price: "0" })),
  });

  // A paid showing with two types: a group discount on General, and non-transferable Front Row seats.
  const concert = await prisma.event.create({
    data: {
      clubId: jazz.id,
      name: "Winter Concert",
      description: "The big band's winter programme: Ellington, Basie and new student charts.",
      showings: {
        create: [{ startTime: at(10, 19), endTime: at(10, 21), location: "Zellerbach Theatre", ticketOrderLimit: 8 }],
      },
    },
    include: { showings: true },
  });
  const concertShowing = concert.showings[0]!.id;
  await prisma.ticket.createMany({
    data: [
      ...Array.from({ length: 150 }, () => ({
        showingId: concertShowing,
        type: "General",
        price: "15.00",
        groupDiscount: "0.20",
        groupSize: 4,
      })),
      ...Array.from({ length: 30 }, () => ({
        showingId: concertShowing,
        type: "Front Row",
        price: "40.00",
        transferable: false,
      })),
    ],
  });

  // Tickets that drop in the future: visible with a countdown, not yet for sale.
  const gala = await prisma.event.create({
    data: {
      clubId: jazz.id,
      name: "Spring Gala",
      description: "Dinner, dancing and the combo finals. Tickets drop soon.",
      showings: {
        create: [
          {
            startTime: at(40, 19),
            endTime: at(40, 23),
            location: "Houston Hall",
            ticketOrderLimit: 2,
            ticketDropTime: new Date(now + 3 * DAY),
          },
        ],
      },
    },
    include: { showings: true },
  });
  await prisma.ticket.createMany({
    data: Array.from({ length: 80 }, () => ({ showingId: gala.showings[0]!.id, type: "Dinner", price: "55.00" })),
  });
  return true;
}
