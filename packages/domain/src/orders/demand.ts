import { Prisma } from "@admit/db";
import { sqlTime } from "../sql-time.ts";

/**
 * A buyer's order ends their turn in the showing's lobby (the place passes on) and their place on its waitlist
 * (they have tickets now; they may join again for more). Runs inside the sale's transaction, one statement for any
 * number of orders.
 */
export async function endTurnsOfBuyers(tx: Prisma.TransactionClient, at: Date, buyers: Array<{ userId: string; showingId: number }>): Promise<void> {
  if (buyers.length === 0) return;
  const userIds = buyers.map((b) => b.userId);
  const showingIds = buyers.map((b) => b.showingId);
  const now = sqlTime(at);
  await tx.$executeRaw`
    WITH bought AS (SELECT DISTINCT * FROM unnest(${userIds}::text[], ${showingIds}::int[]) AS b("userId", "showingId")),
    lobby AS (
      UPDATE "LobbyEntry" l SET state = 'DONE', "endedAt" = ${now}
      FROM bought WHERE l."userId" = bought."userId" AND l."showingId" = bought."showingId" AND l.state = 'ADMITTED'
      RETURNING l."showingId"
    ), lobby_moved AS (
      UPDATE "Lobby" SET version = version + 1 WHERE "showingId" IN (SELECT "showingId" FROM lobby)
    )
    UPDATE "WaitlistEntry" w SET state = 'DONE', "endedAt" = ${now}
    FROM bought WHERE w."userId" = bought."userId" AND w."showingId" = bought."showingId" AND w.state IN ('WAITING', 'OFFERED')`;
}
