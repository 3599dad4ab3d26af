import { Prisma } from "@admit/db";
import { createClub, createEvent, createShowing, createUser } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { describe, expect, it } from "vitest";
import {
  lobbyAdmission,
  lobbyAdmitsSql,
  lobbyGateFacts,
  lobbyGateJoinsSql,
  waitlistOfferSql,
  type LobbyEntryState,
  type LobbyGateRow,
  type LobbyGateSqlSource,
} from "../src/lobby/gate.ts";
import { UTC_TEXT } from "../src/sql-time.ts";

const MINUTE = 60_000;
const now = new Date("2026-12-05T18:00:00.000Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);

/** Showings whose lobbies stand in every phase, with the edges (the opening instant, the end instant). */
const showings: Array<{ name: string; drop: Date | null; end: Date; cancelled?: boolean; lobby: { enabled: boolean; soldOut?: boolean } | null }> = [
  { name: "no lobby", drop: at(-5), end: at(600), lobby: null },
  { name: "lobby off", drop: at(-5), end: at(600), lobby: { enabled: false } },
  { name: "not open", drop: at(20), end: at(600), lobby: { enabled: true } },
  { name: "opens this instant", drop: at(15), end: at(600), lobby: { enabled: true } },
  { name: "open", drop: at(5), end: at(600), lobby: { enabled: true } },
  { name: "running", drop: at(-5), end: at(600), lobby: { enabled: true } },
  { name: "running without a drop time", drop: null, end: at(600), lobby: { enabled: true } },
  { name: "sold out", drop: at(-5), end: at(600), lobby: { enabled: true, soldOut: true } },
  { name: "ends this instant", drop: at(-500), end: now, lobby: { enabled: true } },
  { name: "cancelled", drop: at(-5), end: at(600), cancelled: true, lobby: { enabled: true } },
];

const entries: Array<{ state: LobbyEntryState; admitUntil: Date | null } | null> = [
  null,
  { state: "WAITING", admitUntil: null },
  { state: "ADMITTED", admitUntil: at(3) },
  { state: "ADMITTED", admitUntil: now },
  { state: "ADMITTED", admitUntil: at(-3) },
  { state: "EXPIRED", admitUntil: at(-3) },
  { state: "DONE", admitUntil: at(3) },
  { state: "LEFT", admitUntil: null },
];

const offers: Array<Date | null> = [null, at(10), now];

/**
 * The add to cart decides twice: `lobbyAdmitsSql` inside its statement (nothing is written for a refused student)
 * and `lobbyAdmission` on the loaded facts (the refusal's code and words). They must agree on every case: where
 * SQL refuses and TypeScript allows, the add would fail with a server error.
 */
for (const backend of testBackends()) {
  describe(`the lobby gate in SQL and in TypeScript (${backend.kind})`, () => {
    it("agree on every phase, place and waitlist offer", async () => {
      const db = await backend.open();
      try {
        const prisma = db.prisma;
        const club = await createClub(prisma);
        const event = await createEvent(prisma, club.id);
        const madeShowings: Array<{ id: number }> = [];
        for (const s of showings) {
          const showing = await createShowing(prisma, event.id, {
            ticketDropTime: s.drop,
            endTime: s.end,
            startTime: at(-1000),
            cancelledAt: s.cancelled ? at(-1) : null,
          });
          if (s.lobby) {
            await prisma.lobby.create({
              data: {
                showingId: showing.id,
                enabled: s.lobby.enabled,
                opensMinutesBefore: 15,
                seed: "seed",
                seedCommitment: "commitment",
                soldOutAt: s.lobby.soldOut ? at(-1) : null,
              },
            });
          }
          madeShowings.push(showing);
        }
        const people: Array<{ id: string; entry: (typeof entries)[number]; offer: Date | null }> = [];
        for (const entry of entries) for (const offer of offers) people.push({ id: (await createUser(prisma)).id, entry, offer });
        for (const showing of madeShowings) {
          await prisma.lobbyEntry.createMany({
            data: people.flatMap((p) =>
              p.entry ? [{ showingId: showing.id, userId: p.id, joinedAt: at(-30), state: p.entry.state, admitUntil: p.entry.admitUntil }] : [],
            ),
          });
          await prisma.waitlistEntry.createMany({
            data: people.flatMap((p) =>
              p.offer ? [{ showingId: showing.id, userId: p.id, count: 1, joinedAt: at(-30), state: "OFFERED" as const, offerExpiresAt: p.offer }] : [],
            ),
          });
        }

        const gate: LobbyGateSqlSource = { showing: "s", lobby: "lb", entry: "le", userId: Prisma.sql`u.id`, now };
        const rows = await prisma.$queryRaw<Array<LobbyGateRow & { showingId: number; userId: string; admits: boolean; drop: string | null; end: string; cancelled: string | null }>>`
          SELECT s.id AS "showingId", u.id AS "userId", to_char(s."ticketDropTime", ${UTC_TEXT}) AS drop,
                 to_char(s."endTime", ${UTC_TEXT}) AS "end", to_char(s."cancelledAt", ${UTC_TEXT}) AS cancelled,
                 CASE WHEN lb."showingId" IS NOT NULL THEN json_build_object('enabled', lb.enabled,
                   'opensMinutesBefore', lb."opensMinutesBefore", 'soldOutAt', to_char(lb."soldOutAt", ${UTC_TEXT})) END AS lobby,
                 CASE WHEN le.id IS NOT NULL THEN json_build_object('state', le.state,
                   'admitUntil', to_char(le."admitUntil", ${UTC_TEXT})) END AS entry,
                 ${waitlistOfferSql(gate)} AS "waitlistOffer",
                 ${lobbyAdmitsSql(gate)} AS admits
          FROM "Showing" s CROSS JOIN "User" u
          ${lobbyGateJoinsSql(gate)}
          WHERE s.id = ANY(${madeShowings.map((s) => s.id)}::int[]) AND u.id = ANY(${people.map((p) => p.id)}::text[])`;
        expect(rows).toHaveLength(showings.length * people.length);

        const disagreements = rows.flatMap((row) => {
          const facts = lobbyGateFacts(
            row,
            { ticketDropTime: row.drop === null ? null : new Date(row.drop), endTime: new Date(row.end), cancelledAt: row.cancelled === null ? null : new Date(row.cancelled) },
            now,
          );
          const allowed = lobbyAdmission(facts, now).allowed;
          if (allowed === row.admits) return [];
          const showing = showings[madeShowings.findIndex((s) => s.id === row.showingId)]!.name;
          const person = people.find((p) => p.id === row.userId)!;
          return [`${showing}, place ${JSON.stringify(person.entry)}, offer ${person.offer?.toISOString() ?? "none"}: SQL ${row.admits}, TypeScript ${allowed}`];
        });
        expect(disagreements).toEqual([]);
        // The table covers both verdicts in every phase the lobby decides in.
        expect(new Set(rows.map((r) => r.admits))).toEqual(new Set([true, false]));
      } finally {
        await db.close();
      }
    });
  });
}
