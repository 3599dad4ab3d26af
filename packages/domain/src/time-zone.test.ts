import { describe, expect, it } from "vitest";
import { canonicalTimeZone, DEFAULT_SITE_TIME_ZONE, formatInZone, isoInZone, isTimeZone, monthInZone, offsetMinutes, zoneOfClub } from "./time-zone.ts";

describe("the zone a club's times are written in", () => {
  it("is the club's own, else the site's, else New York", () => {
    expect(zoneOfClub("America/Chicago", "Europe/London")).toBe("America/Chicago");
    expect(zoneOfClub(null, "Europe/London")).toBe("Europe/London");
    expect(zoneOfClub(null, undefined)).toBe(DEFAULT_SITE_TIME_ZONE);
    expect(DEFAULT_SITE_TIME_ZONE).toBe("America/New_York");
  });

  it("knows IANA names and refuses anything else", () => {
    for (const zone of ["America/New_York", "Asia/Kolkata", "UTC", "Europe/London"]) expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ["", " America/New_York", "America/Gotham", "+05:00", "-0500", "New York"]) expect(isTimeZone(zone), zone).toBe(false);
  });

  it("spells a zone the way Intl does, whatever the case it was typed in", () => {
    expect(canonicalTimeZone("america/los_angeles")).toBe("America/Los_Angeles");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Europe/London")).toBe("Europe/London");
    expect(canonicalTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
  });
});

describe("times in a zone", () => {
  const winterConcert = new Date("2026-12-05T19:00:00Z");
  const summerPicnic = new Date("2026-07-04T18:00:00Z");

  it("writes wall-clock time with the offset of that day (EST in winter, EDT in summer)", () => {
    expect(isoInZone(winterConcert, "America/New_York")).toBe("2026-12-05T14:00:00-05:00");
    expect(isoInZone(summerPicnic, "America/New_York")).toBe("2026-07-04T14:00:00-04:00");
    expect(isoInZone(winterConcert, "Asia/Kolkata")).toBe("2026-12-06T00:30:00+05:30");
    expect(isoInZone(winterConcert, "UTC")).toBe("2026-12-05T19:00:00+00:00");
    expect(offsetMinutes(winterConcert, "America/New_York")).toBe(-300);
    expect(formatInZone(summerPicnic, "America/New_York")).toBe("Jul 4, 2026, 2:00 PM EDT");
    expect(formatInZone(winterConcert, "America/New_York")).toBe("Dec 5, 2026, 2:00 PM EST");
    expect(formatInZone(winterConcert, "America/Los_Angeles")).toBe("Dec 5, 2026, 11:00 AM PST");
  });

  it("puts an instant in the month of the zone, across the month boundary and the daylight-saving change", () => {
    // 10:30 PM on November 30 in New York is December 1 in UTC.
    expect(monthInZone(new Date("2026-12-01T03:30:00Z"), "America/New_York")).toBe("2026-11");
    expect(monthInZone(new Date("2026-12-01T03:30:00Z"), "UTC")).toBe("2026-12");
    expect(monthInZone(new Date("2026-12-01T05:00:00Z"), "America/New_York")).toBe("2026-12");
    // The hour that repeats when clocks go back (1:30 AM EDT, then 1:30 AM EST) keeps its own offsets.
    expect(isoInZone(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    expect(isoInZone(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30:00-05:00");
  });
});
