import { pairDevice } from "./api.ts";
import { setMeta, type KioskDb } from "./db.ts";
import { PAIRING_KEY, type Pairing } from "./kiosk.ts";

/**
 * The pairing code in what was typed or scanned: the code itself ("K7QM-2D9X", any case, spaces or no dash) or a
 * pairing link (".../kiosk/#pair=K7QM-2D9X"). Null when there is none.
 */
export function extractPairingCode(text: string): string | null {
  const fromLink = /[#&?]pair=([A-Za-z0-9 -]{8,12})/.exec(text);
  const candidate = (fromLink?.[1] ?? text).trim();
  const compact = candidate.replace(/[\s-]/g, "");
  return /^[A-Za-z0-9]{8}$/.test(compact) ? candidate : null;
}

/** Empties every table: a door's data never outlives its pairing. */
export async function wipeDoorData(db: KioskDb): Promise<void> {
  await db.transaction("rw", [db.buckets, db.outbox, db.conflicts, db.meta], async () => {
    await Promise.all([db.buckets.clear(), db.outbox.clear(), db.conflicts.clear(), db.meta.clear()]);
  });
}

/** Trades the code for a device token and starts this tablet afresh as that door. */
export async function pairWithCode(db: KioskDb, code: string, beforeWipe?: () => Promise<void>): Promise<Pairing> {
  const result = await pairDevice(code);
  await beforeWipe?.();
  const pairing: Pairing = { token: result.token, deviceId: result.device.id, name: result.device.name, club: result.club };
  await wipeDoorData(db);
  await setMeta(db, PAIRING_KEY, pairing);
  return pairing;
}
