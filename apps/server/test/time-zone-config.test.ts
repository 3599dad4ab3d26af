import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../src/config.ts";

describe("TIME_ZONE", () => {
  it("is America/New_York when unset or empty, and shown in the start-up log", () => {
    expect(loadConfig({}).timeZone).toBe("America/New_York");
    expect(loadConfig({ TIME_ZONE: "" }).timeZone).toBe("America/New_York");
    expect(describeConfig(loadConfig({ TIME_ZONE: "Europe/London" })).timeZone).toBe("Europe/London");
  });

  it("takes any IANA zone", () => {
    for (const zone of ["America/Chicago", "America/Los_Angeles", "Asia/Kolkata", "UTC"]) {
      expect(loadConfig({ TIME_ZONE: zone }).timeZone).toBe(zone);
    }
  });

  it("stops the server with a message naming the variable for a zone nobody knows", () => {
    for (const TIME_ZONE of ["America/Gotham", "EST5EDT7", "New York", "+05:00"]) {
      let message = "";
      try {
        loadConfig({ TIME_ZONE });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, TIME_ZONE).toContain("Admit cannot start");
      expect(message).toContain("TIME_ZONE: is not a time zone this server knows");
      expect(message).toContain("America/New_York");
    }
  });
});
