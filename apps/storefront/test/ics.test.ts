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

  it("names the file after the event", () => {
    expect(icsFileName("Winter Concert: Ellington & Basie!")).toBe("winter-concert-ellington-basie.ics");
    expect(icsFileName("!!!")).toBe("event.ics");
  });
});
