import { describe, expect, it } from "vitest";
import { replayCheckIns, type LogEntry } from "../src/door/replay.ts";

let seq = 0n;
const entry = (action: LogEntry["action"], minute: number, over: Partial<LogEntry> = {}): LogEntry => ({
  seq: ++seq,
  action,
  occurredAt: new Date(Date.UTC(2026, 11, 5, 19, minute)),
  clientScanId: `scan-${seq}`,
  undoesScanId: null,
  conflictReason: null,
  conflict: false,
  deviceId: "door-a",
  actorUserId: null,
  ...over,
});
const at = (minute: number) => new Date(Date.UTC(2026, 11, 5, 19, minute));

describe("replaying a ticket's log with exits", () => {
  it("inside = admitted and not out since; coming back after an exit is a re-entry, not a conflict", () => {
    const admit = entry("ADMIT", 0);
    const exit = entry("EXIT", 30);
    const back = entry("ADMIT", 45);
    const result = replayCheckIns([back, exit, admit]);
    expect(result).toMatchObject({ attended: true, attendedAt: at(0), exitedAt: null });
    expect(result.conflicts.get(back.seq)).toEqual({ conflict: false, reason: null });

    const out = replayCheckIns([admit, exit]);
    expect(out).toMatchObject({ attended: true, attendedAt: at(0), exitedAt: at(30) });
  });

  it("an admit while the holder is inside is still a conflict, whatever order the log arrived in", () => {
    const first = entry("ADMIT", 0);
    const twice = entry("ADMIT", 10, { deviceId: "door-b" });
    const exit = entry("EXIT", 20);
    const result = replayCheckIns([exit, twice, first]);
    expect(result.conflicts.get(twice.seq)).toEqual({ conflict: true, reason: "already-in" });
    expect(result).toMatchObject({ attendedByDeviceId: "door-a", exitedAt: at(20) });
  });

  it("an exit of a ticket that is not inside changes nothing; an undone exit neither", () => {
    expect(replayCheckIns([entry("EXIT", 5)])).toMatchObject({ attended: false, exitedAt: null });
    const exit = entry("EXIT", 30);
    const undo = entry("UNDO", 31, { undoesScanId: exit.clientScanId });
    expect(replayCheckIns([entry("ADMIT", 0), exit, undo])).toMatchObject({ attended: true, exitedAt: null });
  });

  it("officers' marks: marked attended brings a holder who left back in, marked not attended clears everything", () => {
    const admit = entry("ADMIT", 0);
    const exit = entry("EXIT", 10);
    expect(replayCheckIns([admit, exit, entry("MARK_ATTENDED", 20, { clientScanId: null, deviceId: null, actorUserId: "u" })])).toMatchObject({
      attended: true,
      attendedAt: at(0),
      exitedAt: null,
    });
    expect(replayCheckIns([admit, exit, entry("MARK_NOT_ATTENDED", 20, { clientScanId: null })])).toMatchObject({ attended: false, exitedAt: null });
  });
});
