import { describe, expect, it } from "vitest";
import { applyPendingScans, earlierAdmit, type LocalScan } from "../src/merge.ts";
import type { DoorTicket } from "../src/policy.ts";

const base = { id: "t1", showingId: 7, type: "General", holderName: "Ada Lovelace", qrGeneration: 1, valid: true };
const server = (state: Partial<DoorTicket> = {}): DoorTicket => ({
  ...base,
  attended: false,
  attendedAt: null,
  attendedDoor: null,
  exitedAt: null,
  ...state,
});
let n = 0;
const scan = (action: LocalScan["action"], scannedAt: string, extra: Partial<LocalScan> = {}): LocalScan => ({
  clientScanId: `s${++n}`,
  ticketId: "t1",
  showingId: 7,
  action,
  undoesScanId: null,
  scannedAt,
  door: "North",
  uploaded: false,
  ...extra,
});
const at = (minute: number) => `2026-11-27T19:${String(minute).padStart(2, "0")}:00.000Z`;

describe("applyPendingScans, in door-time order whatever order they are listed in", () => {
  it("an admit listed after the exit it precedes still puts the guest in, then out", () => {
    const state = applyPendingScans(undefined, [scan("EXIT", at(30)), scan("ADMIT", at(10))], base);
    expect(state).toMatchObject({ attended: true, attendedAt: at(10), exitedAt: at(30) });
  });

  it("starts from the door's own record when the server has none", () => {
    expect(applyPendingScans(undefined, [], base)).toEqual(server());
  });

  it("ignores scans the server already reflects", () => {
    expect(applyPendingScans(server(), [scan("ADMIT", at(5), { uploaded: true })], base)).toEqual(server());
  });

  it("an earlier pending admit than the server's takes its place, with its door", () => {
    const state = applyPendingScans(server({ attended: true, attendedAt: at(20), attendedDoor: "South" }), [scan("ADMIT", at(10))], base);
    expect(state).toMatchObject({ attendedAt: at(10), attendedDoor: "North" });
  });

  it("a later pending admit than the server's changes nothing while the guest is inside", () => {
    const before = server({ attended: true, attendedAt: at(20), attendedDoor: "South" });
    expect(applyPendingScans(before, [scan("ADMIT", at(25))], base)).toEqual(before);
  });

  it("an admit at the very minute of the server's admit changes nothing", () => {
    const before = server({ attended: true, attendedAt: at(20), attendedDoor: "South" });
    expect(applyPendingScans(before, [scan("ADMIT", at(20))], base)).toEqual(before);
  });

  it("an admit after the guest left brings them back in; one before the exit does not", () => {
    const out = server({ attended: true, attendedAt: at(10), attendedDoor: "South", exitedAt: at(30) });
    expect(applyPendingScans(out, [scan("ADMIT", at(40))], base).exitedAt).toBeNull();
    expect(applyPendingScans(out, [scan("ADMIT", at(30))], base).exitedAt).toBe(at(30));
    expect(applyPendingScans(out, [scan("ADMIT", at(20))], base).exitedAt).toBe(at(30));
  });

  it("an exit counts only for a guest inside and not before they came in", () => {
    expect(applyPendingScans(server(), [scan("EXIT", at(10))], base).exitedAt).toBeNull();
    const inside = server({ attended: true, attendedAt: at(20), attendedDoor: "South" });
    expect(applyPendingScans(inside, [scan("EXIT", at(10))], base).exitedAt).toBeNull();
    expect(applyPendingScans(inside, [scan("EXIT", at(20))], base).exitedAt).toBe(at(20));
    expect(applyPendingScans(server({ attended: true, attendedAt: null }), [scan("EXIT", at(5))], base).exitedAt).toBe(at(5));
  });

  it("an undone admit is as if it never happened, and so is an undone exit", () => {
    const admit = scan("ADMIT", at(10));
    expect(applyPendingScans(undefined, [admit, scan("UNDO", at(11), { undoesScanId: admit.clientScanId })], base).attended).toBe(false);
    const inside = server({ attended: true, attendedAt: at(5), attendedDoor: "South" });
    const exit = scan("EXIT", at(10));
    expect(applyPendingScans(inside, [exit, scan("UNDO", at(11), { undoesScanId: exit.clientScanId })], base).exitedAt).toBeNull();
  });
});

describe("earlierAdmit", () => {
  it("the earlier scan wins; at the same moment, the lower scan id", () => {
    const a = { scannedAt: at(10), clientScanId: "b" };
    const b = { scannedAt: at(11), clientScanId: "a" };
    expect(earlierAdmit(a, b)).toBe(a);
    expect(earlierAdmit(b, a)).toBe(a);
    const c = { scannedAt: at(10), clientScanId: "a" };
    expect(earlierAdmit(a, c)).toBe(c);
    expect(earlierAdmit(c, a)).toBe(c);
    expect(earlierAdmit(c, { ...c })).toEqual(c);
  });
});
