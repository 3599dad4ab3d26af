import { describe, expect, it } from "vitest";
import { MAX_HITS, TicketSearch } from "../src/search.ts";
import { allTickets, BUCKET_COUNT, bucketOf, getTicket, getTickets, putTickets, replaceAllTickets } from "../src/tickets.ts";
import { freshDb, ticket } from "./helpers.ts";

describe("ticket storage in buckets", () => {
  it("stores, finds and replaces thousands of tickets, keeping unlisted ones as not valid", async () => {
    const db = freshDb();
    const tickets = Array.from({ length: 3000 }, (_, i) => ticket({ holderName: `Guest ${i}` }));
    await replaceAllTickets(db, tickets);
    expect(await db.buckets.count()).toBeLessThanOrEqual(BUCKET_COUNT);
    expect((await allTickets(db)).length).toBe(3000);
    expect(await getTicket(db, tickets[1234]!.id)).toEqual(tickets[1234]);
    const some = await getTickets(db, [tickets[1]!.id, tickets[2]!.id, "00000000-0000-4000-8000-000000000000"]);
    expect([...some.keys()]).toEqual([tickets[1]!.id, tickets[2]!.id]);

    await putTickets(db, [{ ...tickets[5]!, attended: true, attendedAt: "2026-12-01T19:00:00.000Z", attendedDoor: "South" }]);
    expect(await getTicket(db, tickets[5]!.id)).toMatchObject({ attended: true, attendedDoor: "South" });
    expect(await getTicket(db, tickets[6]!.id)).toEqual(tickets[6]);

    await replaceAllTickets(db, tickets.slice(0, 2000));
    expect((await allTickets(db)).length).toBe(3000);
    expect(await getTicket(db, tickets[2500]!.id)).toMatchObject({ valid: false, attended: false });
    expect(await getTicket(db, tickets[1500]!.id)).toMatchObject({ valid: true });
  });

  it("spreads ticket ids over every bucket", () => {
    const seen = new Set(Array.from({ length: 20_000 }, () => bucketOf(crypto.randomUUID())));
    expect(seen.size).toBe(BUCKET_COUNT);
  });
});

describe("search by name", () => {
  it("finds holders by the start of any word, ignoring accents, and follows name changes from the feed", async () => {
    const db = freshDb();
    const [zoe, abe, chris] = [ticket({ holderName: "Zoë Åberg" }), ticket({ holderName: "Abe Smith" }), ticket({ holderName: "Chris Abernathy" })];
    await putTickets(db, [zoe, abe, chris]);
    const search = new TicketSearch(db);
    expect((await search.search("abe")).map((t) => t.holderName)).toEqual(["Abe Smith", "Chris Abernathy", "Zoë Åberg"]);
    expect((await search.search("zoe ab")).map((t) => t.holderName)).toEqual(["Zoë Åberg"]);
    // A door finds the guest in front of it; it does not list the guests: three characters at least.
    expect(await search.search("ab")).toEqual([]);
    expect(await search.search("a")).toEqual([]);
    expect((await search.search(abe.id.slice(0, 8))).map((t) => t.id)).toContain(abe.id);

    const renamed = { ...chris, holderName: "Dana Abbott" };
    await putTickets(db, [renamed]);
    search.update([renamed]);
    expect((await search.search("dana")).map((t) => t.id)).toEqual([chris.id]);
    expect(await search.search("chris")).toEqual([]);
  });

  it("lists at most a handful of matches, however many names match", async () => {
    const db = freshDb();
    await putTickets(db, Array.from({ length: 30 }, (_, i) => ticket({ holderName: `Sam Guest${i}` })));
    const hits = await new TicketSearch(db).search("sam");
    expect(hits).toHaveLength(MAX_HITS);
    expect(MAX_HITS).toBeLessThanOrEqual(10);
  });
});
