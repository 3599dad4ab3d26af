import { describe, expect, it } from "vitest";
import { replayCheckIns, type LogEntry } from "./replay.ts";

let seq = 0n;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 5, 19, minute));
const entry = (action: LogEntry["action"], minute: number, over: Partial<LogEntry> = {}): LogEntry => ({
  seq: ++seq,
  action,
  occurredAt: at(minute),
  clientScanId: `scan-${seq}`,
  undoesScanId: null,
  conflictReason: null,
  conflict: false,
  deviceId: "door-a",
  actorUserId: null,
  ...over,
});

describe("replaying a ticket's check-in log", () => {
  it.each(["wrong-showing", "old-qr", "not-sold"])("an admit refused as %s stays refused and admits nobody, whatever comes after", (reason) => {
    const refused = entry("ADMIT", 0, { conflictReason: reason, conflict: true });
    const valid = entry("ADMIT", 5, { deviceId: "door-b" });
    const result = replayCheckIns([valid, refused]);
    expect(result.conflicts.get(refused.seq)).toEqual({ conflict: true, reason });
    expect(result).toMatchObject({ attended: true, attendedAt: at(5), attendedByDeviceId: "door-b" });
  });

  it("an admit flagged as already inside is decided again: once the earlier admit is undone, it is the first", () => {
    const first = entry("ADMIT", 0);
    const second = entry("ADMIT", 5, { deviceId: "door-b", conflictReason: "already-in", conflict: true });
    const undo = entry("UNDO", 6, { undoesScanId: first.clientScanId });
    const result = replayCheckIns([first, second, undo]);
    expect(result.conflicts.get(first.seq)).toEqual({ conflict: false, reason: null });
    expect(result.conflicts.get(second.seq)).toEqual({ conflict: false, reason: null });
    expect(result).toMatchObject({ attended: true, attendedAt: at(5), attendedByDeviceId: "door-b" });
  });

  it("an undone admit is no admit and no conflict", () => {
    const admit = entry("ADMIT", 0);
    const result = replayCheckIns([admit, entry("UNDO", 1, { undoesScanId: admit.clientScanId })]);
    expect(result).toMatchObject({ attended: false, attendedAt: null, attendedByDeviceId: null });
    expect(result.conflicts.get(admit.seq)).toEqual({ conflict: false, reason: null });
  });

  it("admits at the same moment are taken in the order the log recorded them, whatever order they arrive in", () => {
    const earlier = entry("ADMIT", 0, { deviceId: "door-a" });
    const later = entry("ADMIT", 0, { deviceId: "door-b" });
    for (const arrival of [
      [later, earlier],
      [earlier, later],
    ]) {
      const result = replayCheckIns(arrival);
      expect(result.attendedByDeviceId).toBe("door-a");
      expect(result.conflicts.get(later.seq)).toEqual({ conflict: true, reason: "already-in" });
    }
  });

  it("an officer marking a ticket attended that never came in records the officer and the moment", () => {
    const mark = entry("MARK_ATTENDED", 20, { clientScanId: null, deviceId: null, actorUserId: "officer-1" });
    expect(replayCheckIns([mark])).toMatchObject({
      attended: true,
      attendedAt: at(20),
      attendedByDeviceId: null,
      attendedById: "officer-1",
      exitedAt: null,
    });
    // A later admit by the door is then a conflict: the holder is already in.
    const admit = entry("ADMIT", 25);
    expect(replayCheckIns([mark, admit]).conflicts.get(admit.seq)).toEqual({ conflict: true, reason: "already-in" });
  });

  it("the first admit's door is recorded, not the officer's, and marking not attended clears both", () => {
    const admit = entry("ADMIT", 0, { deviceId: "door-c" });
    const mark = entry("MARK_ATTENDED", 10, { clientScanId: null, deviceId: null, actorUserId: "officer-1" });
    expect(replayCheckIns([admit, mark])).toMatchObject({ attendedAt: at(0), attendedByDeviceId: "door-c", attendedById: null });
    const cleared = replayCheckIns([admit, mark, entry("MARK_NOT_ATTENDED", 20, { clientScanId: null, actorUserId: "officer-1" })]);
    expect(cleared).toMatchObject({ attended: false, attendedAt: null, attendedByDeviceId: null, attendedById: null, exitedAt: null });
  });
});
