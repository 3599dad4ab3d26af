import { expect } from "vitest";
import { quickStudents, showingWith } from "./cart-helpers.ts";
import { trpc, type TestServer } from "./harness.ts";

const MINUTE = 60_000;

/**
 * A showing whose drop is 30 minutes ahead, its lobby turned on by an officer: it opens `opensMinutesBefore` (15)
 * minutes before the drop and gives each admitted student 5 minutes.
 */
export async function lobbyDrop(
  server: TestServer,
  opts: { price?: string; count?: number; orderLimit?: number; opensMinutesBefore?: number } = {},
) {
  const drop = new Date(server.clock.now().getTime() + 30 * MINUTE);
  const made = await showingWith(server, [{ type: "general", count: opts.count ?? 10, price: opts.price ?? "0" }], {
    dropTime: drop,
    orderLimit: opts.orderLimit ?? 2,
  });
  const [officer] = await quickStudents(server, 1);
  await server.db.prisma.membership.create({ data: { clubId: made.club.id, userId: officer!.id, role: "OFFICER" } });
  const configured = await trpc(server, "lobby.configure", {
    token: officer!.token,
    mutation: true,
    input: { showingId: made.showing.id, enabled: true, opensMinutesBefore: opts.opensMinutesBefore ?? 15, admitMinutes: 5 },
  });
  expect(configured.status, JSON.stringify(configured.error)).toBe(200);
  return { ...made, id: made.showing.id, drop, officer: officer! };
}

export type LobbyDrop = Awaited<ReturnType<typeof lobbyDrop>>;
