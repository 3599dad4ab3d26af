import type { DomainDeps } from "./deps.ts";
import { DomainError } from "./errors.ts";
import { sqlTime, UTC_TEXT } from "./sql-time.ts";

/** A limit on events of one kind per key (a client address): at most `max` in a window of `windowSeconds`. */
export interface RateRule {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Our own limits. Only failures are counted, so people who get it right are never slowed: a wrong kiosk pairing code,
 * a bearer or door-device token that matches nothing, and a refused payment delivery (genuine signed replies are
 * never counted). Sign-in attempts are limited by better-auth (`SIGNIN_RATE_LIMIT_*`).
 */
export const RATE_RULES = {
  failedPairing: { bucket: "kiosk-pair-failed", max: 20, windowSeconds: 600 },
  failedToken: { bucket: "token-failed", max: 20, windowSeconds: 600 },
  refusedPayment: { bucket: "payment-refused", max: 30, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

export interface RateCount {
  count: number;
  resetAt: Date;
}

/** In-process callers (tests, scripts calling services directly) have no network address; they share this key. */
export const LOCAL_CALLER = "local";

/** Addresses are short; anything longer is cut so a key can never grow a row. */
const MAX_KEY_LENGTH = 100;

/** Counts in the window cap here: enough to know a key is far over any limit, never near the integer's range. */
const COUNT_CEILING = 1_000_000;

export function rateLimited(message: string, retryAfterSeconds: number): DomainError {
  return new DomainError("RATE_LIMITED", message, { details: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) } });
}

/**
 * Fixed-window counters in the database (`RateLimitCounter`, one row per bucket and key), so every server process
 * shares them: a window starts at a key's first counted event and lasts the rule's `windowSeconds`. Counting is one
 * atomic upsert, so concurrent requests in several processes never lose a count. Time comes from the injected clock.
 */
export class RateLimits {
  constructor(private readonly deps: DomainDeps) {}

  /** Counts one event for `key` and returns the window's count including it. */
  async hit(rule: RateRule, key: string): Promise<RateCount> {
    const now = this.deps.clock.now();
    const fresh = new Date(now.getTime() + rule.windowSeconds * 1000);
    const rows = await this.deps.prisma.$queryRaw<Array<{ count: number; resetAt: string }>>`
      INSERT INTO "RateLimitCounter" (bucket, key, count, "resetAt")
      VALUES (${rule.bucket}, ${key.slice(0, MAX_KEY_LENGTH)}, 1, ${sqlTime(fresh)})
      ON CONFLICT (bucket, key) DO UPDATE SET
        count = CASE WHEN "RateLimitCounter"."resetAt" <= ${sqlTime(now)} THEN 1
                     ELSE LEAST("RateLimitCounter".count + 1, ${COUNT_CEILING}) END,
        "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= ${sqlTime(now)} THEN EXCLUDED."resetAt"
                         ELSE "RateLimitCounter"."resetAt" END
      RETURNING count, to_char("resetAt", ${UTC_TEXT}) AS "resetAt"`;
    const row = rows[0]!;
    return { count: row.count, resetAt: new Date(row.resetAt) };
  }

  /** The current window's count for `key` (0 when its window is over), without counting anything. */
  async peek(rule: RateRule, key: string): Promise<RateCount> {
    const now = this.deps.clock.now();
    const row = await this.deps.prisma.rateLimitCounter.findUnique({
      where: { bucket_key: { bucket: rule.bucket, key: key.slice(0, MAX_KEY_LENGTH) } },
      select: { count: true, resetAt: true },
    });
    return row && row.resetAt > now ? row : { count: 0, resetAt: now };
  }

  /** Refuses with 429 RATE_LIMITED while `key` has used up the window (reads only; for guesses of short secrets). */
  async requireUnder(rule: RateRule, key: string, message: string): Promise<void> {
    const current = await this.peek(rule, key);
    if (current.count >= rule.max) throw rateLimited(message, this.secondsUntil(current.resetAt));
  }

  /** Counts a failure; once `key` has failed more than the rule allows in the window, refuses with 429 RATE_LIMITED. */
  async countFailure(rule: RateRule, key: string, message: string): Promise<void> {
    const current = await this.hit(rule, key);
    if (current.count > rule.max) throw rateLimited(message, this.secondsUntil(current.resetAt));
  }

  /** Deletes counters whose window is over (they would start again from zero anyway). For the periodic job. */
  async prune(): Promise<number> {
    const { count } = await this.deps.prisma.rateLimitCounter.deleteMany({ where: { resetAt: { lte: this.deps.clock.now() } } });
    return count;
  }

  private secondsUntil(at: Date): number {
    return (at.getTime() - this.deps.clock.now().getTime()) / 1000;
  }
}
