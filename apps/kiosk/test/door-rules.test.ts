import { describe, expect, it } from "vitest";
import { localCounts, withScans } from "../src/door-counts.ts";
import { putTickets } from "../src/tickets.ts";
import { recordManualAdmit, recordScan } from "../src/scan/record.ts";
import { codeFor, doorContext, freshDb, SHOWING, ticket } from "./helpers.ts";

describe("exit mode and re-entry on the tablet", () => {
  it("records an exit for a guest who is in, then admits the same ticket again as a re-entry", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    const entrance = doorContext(db);
    expect((await recordScan(entrance, codeFor(t.id))).verdict).toBe("ADMIT");

    const exit = await recordScan({ ...entrance, mode: "EXIT" }, codeFor(t.id));
    expect(exit.verdict).toBe("EXIT");
    expect(await db.outbox.get(exit.clientScanId!)).toMatchObject({ action: "EXIT", ticketId: t.id, state: "pending" });
    // Out already: a second exit scan records nothing.
    expect(await recordScan({ ...entrance, mode: "EXIT" }, codeFor(t.id))).toMatchObject({ verdict: "NOT_INSIDE", clientScanId: null });

    const back = await recordScan(entrance, codeFor(t.id));
    expect(back).toMatchObject({ verdict: "ADMIT", reentry: true });
    expect(await db.outbox.get(back.clientScanId!)).toMatchObject({ action: "ADMIT", reentry: true });
    expect((await recordScan(entrance, codeFor(t.id))).verdict).toBe("ALREADY_IN");
  });

  it("the search list's check-in admits, whichever way the door is switched", async () => {
    const db = freshDb();
    const t = ticket();
    await putTickets(db, [t]);
    expect((await recordManualAdmit({ ...doorContext(db), mode: "EXIT" }, t.id)).verdict).toBe("ADMIT");
  });

  it("counts a first admit as checked in and inside, a re-entry as inside only, an exit as one fewer inside", () => {
    const counts = { sold: 10, checkedIn: 4, inside: 3, showings: [{ id: SHOWING, sold: 10, checkedIn: 4, inside: 3, capacity: 5 }] };
    const scan = (clientScanId: string, action: "ADMIT" | "EXIT" | "UNDO", over: object = {}) =>
      ({ clientScanId, ticketId: "t", showingId: SHOWING, action, undoesScanId: null, scannedAt: "", door: "", generation: null, state: "pending" as const, uploadedAt: null, outcome: null, ...over });
    const after = localCounts(counts, [scan("a", "ADMIT"), scan("b", "ADMIT", { reentry: true }), scan("c", "EXIT"), scan("d", "ADMIT"), scan("u", "UNDO", { undoesScanId: "d" })], []);
    expect(after).toMatchObject({ checkedIn: 5, inside: 4, showings: [{ checkedIn: 5, inside: 4, capacity: 5 }] });
    expect(withScans(after, [scan("c", "EXIT")], -1)).toMatchObject({ inside: 5, showings: [{ inside: 5 }] });
  });
});

describe("a door for some ticket types only", () => {
  it("refuses other types as WRONG_DOOR, naming the door to go to, and records nothing", async () => {
    const db = freshDb();
    const [vip, general] = [ticket({ type: "VIP" }), ticket({ type: "General" })];
    await putTickets(db, [vip, general]);
    const ctx = doorContext(db, { gate: { allowedTypes: ["VIP"], otherDoors: [{ name: "Main door", allowedTypes: [] }] } });
    expect((await recordScan(ctx, codeFor(vip.id))).verdict).toBe("ADMIT");
    const refused = await recordScan(ctx, codeFor(general.id));
    expect(refused).toMatchObject({ verdict: "WRONG_DOOR", clientScanId: null, message: "Wrong door: go to Main door. This door admits VIP only." });
    expect(await db.outbox.where("ticketId").equals(general.id).count()).toBe(0);
  });
});
