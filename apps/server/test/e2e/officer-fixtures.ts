import { createClub } from "@admit/db/factories";
import type { Page } from "playwright-core";
import type { TestServer } from "../harness.ts";
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

/** The value shown for one live number ("Sold", "Checked in", ...) in the numbers block with that label. */
export function liveNumber(page: Page, blockLabel: string, name: string) {
  return page
    .getByRole("group", { name: blockLabel, exact: true })
    .locator(".live-number")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) })
    .locator(".live-number-value");
}
