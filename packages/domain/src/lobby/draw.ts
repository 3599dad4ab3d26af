import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * The draw: at the drop, everyone who joined before it gets a random place, and anyone can check it. The seed is
 * made with the lobby and only its SHA-256 (the commitment) is public until the draw; each student's draw key is
 * HMAC-SHA256(seed, their user id), fixed from the moment they join (leaving and joining again draws nothing new).
 * Early joiners are placed by draw key; those who arrive after the drop follow in arrival order.
 */

export function newSeed(): string {
  return randomBytes(32).toString("hex");
}

export function seedCommitment(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

export function drawKey(seed: string, userId: string): string {
  return createHmac("sha256", seed).update(userId).digest("hex");
}

export interface UnplacedEntry {
  id: string;
  joinedAt: Date;
  drawKey: string | null;
}

/**
 * Numbers from `nextPosition` on the places that have none yet. Before the draw (`drawn` false), entries that joined
 * before `dropAt` come first, ordered by draw key (byte order of the hex text); everyone else follows by arrival
 * (join time, then id so equal times still have one order). Returns the entries with their places, in order.
 */
export function numberPlaces(
  entries: readonly UnplacedEntry[],
  rule: { dropAt: Date | null; drawn: boolean; nextPosition: number },
): Array<{ id: string; position: number; drawn: boolean }> {
  const inDraw = (e: UnplacedEntry) => !rule.drawn && rule.dropAt !== null && e.joinedAt < rule.dropAt && e.drawKey !== null;
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const drawn = entries.filter(inDraw).sort((a, b) => byText(a.drawKey ?? "", b.drawKey ?? "") || byText(a.id, b.id));
  const late = entries
    .filter((e) => !inDraw(e))
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || byText(a.id, b.id));
  return [...drawn.map((e) => ({ e, drawn: true })), ...late.map((e) => ({ e, drawn: false }))].map(({ e, drawn }, i) => ({
    id: e.id,
    position: rule.nextPosition + i,
    drawn,
  }));
}
