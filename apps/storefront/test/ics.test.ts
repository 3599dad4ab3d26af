import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, foldLine, icsDateTime, icsFileName } from "../src/lib/ics.ts";

describe("calendar files", () => {
  it("escapes backslashes, semicolons, commas and line breaks in text", () => {
    expect(escapeText("Jazz; Blues, and \\ more\nSecond line\r\nThird")).toBe("Jazz\\; Blues\\, and \\\\ more\\nSecond line\\nThird");
  });

  it("writes times in UTC whatever zone they were given in", () => {
    expect(icsDateTime("2026-03-06T19:30:00-05:00")).toBe("20260307T003000Z");
    expect(icsDateTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("20260102T030405Z");
  });

  it("folds lines at 75 octets without splitting a multi-byte character", () => {
    const line = `SUMMARY:${"é".repeat(60)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((part) => part.startsWith(" "))).toBe(true);
    expect(folded.map((part, i) => (i === 0 ? part : part.slice(1))).join("")).toBe(line);
  });

  it("builds one VEVENT with CRLF line ends", () => {
    const ics = buildIcs(
      {
        uid: "ticket-1@admit",
        title: "Winter Concert, Part 2",
        start: "2026-12-07T19:00:00.000Z",
        end: "2026-12-07T21:00:00.000Z",
        location: "Zellerbach Theatre; Main Stage",
        description: "General ticket\nShow your QR code",
        url: "http://localhost:3000/tickets/1",
      },
      new Date(Date.UTC(2026, 10, 1)),
    );
    const lines = ics.split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("DTSTART:20261207T190000Z");
    expect(lines).toContain("DTEND:20261207T210000Z");
    expect(lines).toContain("DTSTAMP:20261101T000000Z");
    expect(lines).toContain("SUMMARY:Winter Concert\\, Part 2");
    expect(lines).toContain("LOCATION:Zellerbach Theatre\\; Main Stage");
    expect(lines).toContain("DESCRIPTION:General ticket\\nShow your QR code");
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("writes a 2 PM New York showing at 2 PM with the zone, its daylight-saving rules and EST in the description", () => {
    const ics = buildIcs(
      {
        uid: "ticket-2@admit",
        title: "Winter Concert",
        start: "2026-12-05T19:00:00.000Z",
        end: "2026-12-05T21:00:00.000Z",
        timeZone: "America/New_York",
      },
      new Date(Date.UTC(2026, 10, 1)),
    );
    const lines = ics.split("\r\n");
    expect(lines).toContain("DTSTART;TZID=America/New_York:20261205T140000");
    expect(lines).toContain("DTEND;TZID=America/New_York:20261205T160000");
    expect(lines).toContain("DESCRIPTION:When: Saturday\\, December 5\\, 2026\\, 2:00 PM – 4:00 PM EST");
    const zone = ics.slice(ics.indexOf("BEGIN:VTIMEZONE"), ics.indexOf("END:VTIMEZONE")).split("\r\n");
    expect(zone).toContain("TZID:America/New_York");
    // 2026's changes: 2 AM EST on March 8 becomes 3 AM EDT; 2 AM EDT on November 1 becomes 1 AM EST.
    expect(zone.join("|")).toContain("BEGIN:DAYLIGHT|DTSTART:20260308T020000|TZOFFSETFROM:-0500|TZOFFSETTO:-0400|TZNAME:EDT");
    expect(zone.join("|")).toContain("BEGIN:STANDARD|DTSTART:20261101T020000|TZOFFSETFROM:-0400|TZOFFSETTO:-0500|TZNAME:EST");
  });

  it("writes summer showings with EDT and another club's zone at its own wall-clock time", () => {
    const summer = buildIcs(
      { uid: "u", title: "Picnic", start: "2026-07-04T18:00:00.000Z", end: "2026-07-04T20:00:00.000Z", timeZone: "America/New_York" },
      new Date(0),
    );
    expect(summer).toContain("DTSTART;TZID=America/New_York:20260704T140000");
    expect(summer).toContain("4:00 PM EDT");
    const tokyo = buildIcs(
      { uid: "u", title: "Hanami", start: "2026-04-01T05:00:00.000Z", end: "2026-04-01T07:00:00.000Z", timeZone: "Asia/Tokyo" },
      new Date(0),
    );
    expect(tokyo).toContain("DTSTART;TZID=Asia/Tokyo:20260401T140000");
    expect(tokyo).toContain("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900");
  });

  it("names the file after the event", () => {
    expect(icsFileName("Winter Concert: Ellington & Basie!")).toBe("winter-concert-ellington-basie.ics");
    expect(icsFileName("!!!")).toBe("event.ics");
  });
});
