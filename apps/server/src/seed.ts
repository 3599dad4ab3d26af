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

type DemoUsername = keyof typeof demoAccounts;
type Prisma = Runtime["db"]["prisma"];

/**
 * Fills an empty database with the demo clubs, people, events and tickets listed in the README.
 * Runs once per database: the first server process to claim the marker seeds, the others skip.
 */
export async function seedDemoData(runtime: Runtime): Promise<boolean> {
  const { prisma } = runtime.db;
  if ((await prisma.user.count()) > 0) return false;
  const claimed = await prisma.serverSetting.createMany({
    data: [{ key: "demo.seeded", value: runtime.clock.now().toISOString() }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) return false;
  const ids = await createDemoAccounts(runtime);
  const clubs = await createDemoClubs(prisma, ids);
  await createDemoEvents(prisma, clubs, runtime.clock.now().getTime());
  return true;
}

async function createDemoAccounts(runtime: Runtime): Promise<Record<DemoUsername, string>> {
  const ids = {} as Record<DemoUsername, string>;
  for (const username of Object.keys(demoAccounts) as DemoUsername[]) {
    const { id } = await createLocalAccount(runtime.auth, {
      username,
      password: DEMO_PASSWORD,
      email: `${username}@demo.admit.test`,
      fullName: demoAccounts[username].fullName,
      // Demo addresses cannot receive a confirmation link; as confirmed addresses they get officers' e-mail blasts.
      emailVerified: true,
    });
    ids[username] = id;
  }
  await runtime.db.prisma.user.update({ where: { id: ids.admin }, data: { isSiteAdmin: true } });
  return ids;
}

async function createDemoClubs(prisma: Prisma, ids: Record<DemoUsername, string>) {
  const film = await prisma.club.create({
    data: {
      code: "film",
      name: "Film Society",
      description: "Screenings, talks and the spring short-film festival.",
      approved: true,
      memberships: {
        create: [
          { userId: ids.alice, role: "OWNER" },
          { userId: ids.oscar, role: "OFFICER" },
          { userId: ids.carol, role: "MEMBER" },
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
          { userId: ids.bob, role: "OWNER" },
          { userId: ids.priya, role: "OFFICER" },
        ],
      },
    },
  });
  return { film: film.id, jazz: jazz.id };
}

interface DemoShowing {
  clubId: number;
  name: string;
  description: string;
  startTime: Date;
  endTime: Date;
  location: string;
  ticketOrderLimit: number;
  ticketDropTime?: Date;
}

/** An event with its one showing; the showing's id. */
async function createEventWithShowing(prisma: Prisma, { clubId, name, description, ...showing }: DemoShowing): Promise<number> {
  const created = await prisma.showing.create({
    data: { ...showing, event: { create: { clubId, name, description } } },
    select: { id: true },
  });
  return created.id;
}

async function createDemoEvents(prisma: Prisma, clubs: { film: number; jazz: number }, now: number) {
  const at = (days: number, hours = 19) => new Date(Math.floor((now + days * DAY) / DAY) * DAY + hours * HOUR);

  // A free showing: claimed at once at checkout.
  const screening = await createEventWithShowing(prisma, {
    clubId: clubs.film,
    name: "Friday Night Screening: Casablanca",
    description: "A free screening in the big lecture hall. Popcorn on us.",
    startTime: at(6, 20),
    endTime: at(6, 22),
    location: "Irvine Auditorium",
    ticketOrderLimit: 4,
  });
  await prisma.ticket.createMany({
    data: Array.from({ length: 120 }, () => ({ showingId: screening, type: "General", price: "0" })),
  });

  // A paid showing with two types: a group discount on General, and non-transferable Front Row seats.
  const concert = await createEventWithShowing(prisma, {
    clubId: clubs.jazz,
    name: "Winter Concert",
    description: "The big band's winter programme: Ellington, Basie and new student charts.",
    startTime: at(10, 19),
    endTime: at(10, 21),
    location: "Zellerbach Theatre",
    ticketOrderLimit: 8,
  });
  await prisma.ticket.createMany({
    data: [
      ...Array.from({ length: 150 }, () => ({ showingId: concert, type: "General", price: "15.00", groupDiscount: "0.20", groupSize: 4 })),
      ...Array.from({ length: 30 }, () => ({ showingId: concert, type: "Front Row", price: "40.00", transferable: false })),
    ],
  });

  // Tickets that drop in the future: visible with a countdown, not yet for sale.
  const gala = await createEventWithShowing(prisma, {
    clubId: clubs.jazz,
    name: "Spring Gala",
    description: "Dinner, dancing and the combo finals. Tickets drop soon.",
    startTime: at(40, 19),
    endTime: at(40, 23),
    location: "Houston Hall",
    ticketOrderLimit: 2,
    ticketDropTime: new Date(now + 3 * DAY),
  });
  await prisma.ticket.createMany({
    data: Array.from({ length: 80 }, () => ({ showingId: gala, type: "Dinner", price: "55.00" })),
  });
}
