import { describe, expect, it } from "vitest";
import { applyPendingScans, earlierAdmit, type LocalScan } from "../src/merge.ts";
import type { DoorTicket } from "../src/policy.ts";

const base: DoorTicket = {
  id: "t1",
  showingId: 1,
  type: "General",
  holderName: "Grace Hopper",
  qrGeneration: 0,
  valid: true,
  attended: false,
  attendedAt: null,
  attendedDoor: null,
  exitedAt: null,
};
const scan = (over: Partial<LocalScan>): LocalScan => ({
  clientScanId: "s1",
  ticketId: "t1",
  showingId: 1,
  action: "ADMIT",
  undoesScanId: null,
  scannedAt: "2026-11-27T19:00:00.000Z",
  door: "North",
  uploaded: false,
  ...over,
});

describe("applyPendingScans (kiosk side)", () => {
  it("keeps a pending local admit when the server does not know it yet", () => {
    const state = applyPendingScans(base, [scan({})], base);
    expect(state).toMatchObject({ attended: true, attendedDoor: "North", attendedAt: "2026-11-27T19:00:00.000Z" });
  });

  it("lets the server's earlier admit stand over a later local one", () => {
    const server = { ...base, attended: true, attendedAt: "2026-11-27T18:59:00.000Z", attendedDoor: "South" };
    expect(applyPendingScans(server, [scan({})], base)).toMatchObject({ attendedDoor: "South" });
  });

  it("shows the local admit when it happened before the server's (earliest wins)", () => {
    const server = { ...base, attended: true, attendedAt: "2026-11-27T19:05:00.000Z", attendedDoor: "South" };
    expect(applyPendingScans(server, [scan({})], base)).toMatchObject({ attendedDoor: "North" });
  });

  it("a pending undo takes the ticket out again", () => {
    const state = applyPendingScans(base, [scan({}), scan({ clientScanId: "s2", action: "UNDO", undoesScanId: "s1" })], base);
    expect(state.attended).toBe(false);
  });

  it("ignores scans that were uploaded (the server state already has them)", () => {
    expect(applyPendingScans(base, [scan({ uploaded: true })], base).attended).toBe(false);
  });

  it("builds the state of a ticket the door had no record of", () => {
    const state = applyPendingScans(undefined, [scan({})], { id: "t1", showingId: 1, type: "?", holderName: "", qrGeneration: 0, valid: true });
    expect(state.attended).toBe(true);
  });
});

describe("earlierAdmit", () => {
  it("picks the earlier door time, then the smaller scan id for a tie", () => {
    const a = { scannedAt: "2026-11-27T19:00:00.000Z", clientScanId: "b" };
    const b = { scannedAt: "2026-11-27T19:00:01.000Z", clientScanId: "a" };
    expect(earlierAdmit(a, b)).toBe(a);
    expect(earlierAdmit(b, a)).toBe(a);
    const c = { scannedAt: a.scannedAt, clientScanId: "a" };
    expect(earlierAdmit(a, c)).toBe(c);
  });

  describe("exits", () => {
    const inside = { ...base, attended: true, attendedAt: "2026-11-27T18:59:00.000Z", attendedDoor: "South" };

    it("a pending exit takes an inside ticket out; a later pending admit brings it back in", () => {
      const exit = scan({ clientScanId: "x1", action: "EXIT", scannedAt: "2026-11-27T19:30:00.000Z" });
      expect(applyPendingScans(inside, [exit], base)).toMatchObject({ attended: true, exitedAt: "2026-11-27T19:30:00.000Z" });
      const back = scan({ clientScanId: "a2", scannedAt: "2026-11-27T19:45:00.000Z" });
      expect(applyPendingScans(inside, [back, exit], base)).toMatchObject({ attended: true, exitedAt: null, attendedAt: inside.attendedAt });
    });

    it("brings back in a ticket the server has as out, and leaves it out when the admit came before the exit", () => {
      const out = { ...inside, exitedAt: "2026-11-27T19:30:00.000Z" };
      expect(applyPendingScans(out, [scan({ scannedAt: "2026-11-27T19:40:00.000Z" })], base)).toMatchObject({ exitedAt: null });
      expect(applyPendingScans(out, [scan({ scannedAt: "2026-11-27T19:10:00.000Z" })], base)).toMatchObject({ exitedAt: "2026-11-27T19:30:00.000Z" });
    });

    it("an exit of a ticket that is not in changes nothing, and an undone exit is ignored", () => {
      const exit = scan({ clientScanId: "x1", action: "EXIT", scannedAt: "2026-11-27T19:30:00.000Z" });
      expect(applyPendingScans(base, [exit], base)).toMatchObject({ attended: false, exitedAt: null });
      const undo = scan({ clientScanId: "u1", action: "UNDO", undoesScanId: "x1", scannedAt: "2026-11-27T19:31:00.000Z" });
      expect(applyPendingScans(inside, [exit, undo], base)).toMatchObject({ exitedAt: null });
    });
  });
});
