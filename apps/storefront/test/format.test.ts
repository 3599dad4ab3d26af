import { describe, expect, it } from "vitest";
import {
  describeGroupDiscount,
  describeGroupQuote,
  formatClock,
  formatDuration,
  formatPercent,
  formatPrice,
  formatPriceRange,
  formatUsd,
  isFree,
} from "../src/lib/format.ts";
import { crispQrSize } from "../src/pages/tickets/TicketQr.tsx";

describe("how prices and rules read", () => {
  it("says Free for zero and dollars otherwise, with no ceiling", () => {
    expect(formatPrice("0.00")).toBe("Free");
    expect(formatPrice("15.00")).toBe("$15.00");
    expect(formatPrice("12345.60")).toBe("$12,345.60");
    expect(formatPriceRange("0.00", "40.00")).toBe("Free – $40.00");
    expect(formatPriceRange("15.00", "15.00")).toBe("$15.00");
    expect(formatPriceRange(null, null)).toBe("No tickets listed");
  });

  it("states a group discount in plain words", () => {
    expect(describeGroupDiscount("General", { size: 4, fraction: "0.2000" })).toBe(
      "20% off each General ticket when you buy 4 or more",
    );
    expect(formatPercent("0.125")).toBe("12.5%");
  });

  it("formats the server's decimal strings exactly as written, never through a binary float", () => {
    // As a float, 90071992547409.93 would read ...409.94.
    expect(formatUsd("90071992547409.93")).toBe("$90,071,992,547,409.93");
    expect(formatUsd("0.10")).toBe("$0.10");
    expect([isFree("0.00"), isFree("0"), isFree("0.01"), isFree("10.00")]).toEqual([true, true, false, false]);
  });

  it("states a priced group quote as the server sent it", () => {
    expect(describeGroupQuote("General", { size: 4, percentOff: "20", unitPrice: "12.00" })).toBe(
      "20% off each General ticket when you buy 4 or more ($12.00 each)",
    );
  });

  it("counts down in words and as a clock", () => {
    expect(formatDuration((2 * 86_400 + 4 * 3600 + 59) * 1000)).toBe("2 days 4 hours");
    expect(formatDuration(61_000)).toBe("1 minute 1 second");
    expect(formatDuration(-5)).toBe("0 seconds");
    expect(formatClock(9 * 60_000 + 41_000)).toBe("9:41");
    expect(formatClock(3_723_000)).toBe("1:02:03");
  });
});

describe("QR size on screen", () => {
  it("picks a size where every module covers whole screen pixels, at least 280 CSS pixels", () => {
    // 53 modules of 8 image pixels; a 3x phone screen fits 16 device pixels per module within 300 CSS pixels.
    expect(crispQrSize(424, 3, 300)).toBeCloseTo((53 * 16) / 3);
    expect(crispQrSize(424, 1, 340)).toBe(318);
    // Below 280 CSS pixels no sharp size is good enough; the stylesheet's size is kept.
    expect(crispQrSize(424, 1, 290)).toBeNull();
    expect(crispQrSize(425, 2, 300)).toBeNull();
  });
});
