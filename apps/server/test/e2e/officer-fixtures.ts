import { createClub } from "@admit/db/factories";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { trpc, type TestServer } from "../harness.ts";
import { student, type Student } from "./storefront-fixtures.ts";

/** The browser's time zone in these tests (see launchBrowser). */
export const BROWSER_TIME_ZONE = "America/New_York";

/** What a person types into a datetime-local box for this instant, on a browser in BROWSER_TIME_ZONE. */
export function localInputValue(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: BROWSER_TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A whole minute some hours after the server's clock (datetime-local inputs hold whole minutes). */
export function wholeMinuteAfter(server: TestServer, hours: number): Date {
  const at = server.clock.now().getTime() + hours * 3_600_000;
  return new Date(Math.floor(at / 60_000) * 60_000);
}

/** An officer (with a bearer token) of a fresh, approved club. */
export async function officerOfNewClub(server: TestServer, clubName: string): Promise<{ officer: Student; clubId: number }> {
  const officer = await student(server, "Olivia Officer");
  const club = await createClub(server.db.prisma, { name: clubName, officers: [officer.id] });
  return { officer, clubId: club.id };
}

/**
 * An officer of a fresh club with one showing, made through the API as the officer: a new event whose showing starts
 * `startsInHours` from now (a whole minute) and lasts two hours, with these ticket types.
 */
export async function officerShowing(
  server: TestServer,
  setup: { clubName: string; eventName: string; startsInHours: number; offerings: Array<{ type: string; count: number; price: string; buyable?: boolean }> },
): Promise<{ officer: Student; clubId: number; showingId: number }> {
  const { officer, clubId } = await officerOfNewClub(server, setup.clubName);
  const event = await trpc(server, "event.create", { token: officer.token, mutation: true, input: { clubId, name: setup.eventName } });
  const start = wholeMinuteAfter(server, setup.startsInHours);
  const created = await trpc(server, "showing.create", {
    token: officer.token,
    mutation: true,
    input: { eventId: (event.data as { id: number }).id, startTime: start.toISOString(), endTime: new Date(start.getTime() + 7_200_000).toISOString() },
  });
  const showingId = (created.data as { id: number }).id;
  const listed = await trpc(server, "showing.setOfferings", { token: officer.token, mutation: true, input: { showingId, offerings: setup.offerings } });
  expect(listed.error).toBeUndefined();
  return { officer, clubId, showingId };
}

/** The value shown for one live number ("Sold", "Checked in", ...) in the numbers block with that label. */
export function liveNumber(page: Page, blockLabel: string, name: string) {
  return page
    .getByRole("group", { name: blockLabel, exact: true })
    .locator(".live-number")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) })
    .locator(".live-number-value");
}
