import { describe, expect, it } from "vitest";
import {
  describeGroupDiscount,
  formatClock,
  formatDuration,
  formatPercent,
  formatPrice,
  formatPriceRange,
  unitPriceFor,
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

  it("prices a ticket with the group discount only once the group is big enough, rounding half up to cents", () => {
    const rule = { size: 4, fraction: "0.2" };
    expect(unitPriceFor("15.00", 3, rule)).toBe(15);
    expect(unitPriceFor("15.00", 4, rule)).toBe(12);
    expect(unitPriceFor("10.05", 2, { size: 2, fraction: "0.5" })).toBe(5.03);
    expect(unitPriceFor("15.00", 10, null)).toBe(15);
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
