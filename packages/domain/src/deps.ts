import type { PrismaClient } from "@admit/db";
import type { Clock } from "./clock.ts";

/** What every service needs; passed in explicitly so tests and each server process build their own. */
export interface DomainDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** TIME_ZONE: the zone of clubs that have none of their own (see time-zone.ts); America/New_York when left out. */
  siteTimeZone?: string;
}
