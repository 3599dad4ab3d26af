import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../src/config.ts";

describe("mail configuration", () => {
  it("uses the development mailbox and a local From address when nothing is set", () => {
    const config = loadConfig({});
    expect(config.mail).toEqual({ smtp: undefined, from: "Admit <tickets@localhost>" });
    expect(describeConfig(config).mail).toBe("development mailbox");
    expect(loadConfig({ SMTP_URL: "" }).mail.smtp).toBeUndefined();
  });

  it("reads SMTP_URL with its default ports and percent-encoded credentials, and never shows the password", () => {
    const config = loadConfig({
      SMTP_URL: "smtp://tickets%40club.edu:p%40ss%20word@mail.example.edu",
      MAIL_FROM: "Film Society <film@club.edu>",
    });
    expect(config.mail).toEqual({
      smtp: {
        host: "mail.example.edu",
        port: 587,
        secure: false,
        auth: { user: "tickets@club.edu", pass: "p@ss word" },
      },
      from: "Film Society <film@club.edu>",
    });
    const described = JSON.stringify(describeConfig(config));
    expect(describeConfig(config).mail).toBe("smtp mail.example.edu:587");
    expect(described).not.toContain("p@ss");
    expect(described).not.toContain("p%40ss");

    expect(loadConfig({ SMTP_URL: "smtps://u:p@smtp.example.edu" }).mail.smtp).toMatchObject({ port: 465, secure: true });
    expect(loadConfig({ SMTP_URL: "smtp://relay.local:2525" }).mail.smtp).toEqual({
      host: "relay.local",
      port: 2525,
      secure: false,
      auth: undefined,
    });
  });

  it("stops with a message naming the variable, without repeating its secret", () => {
    for (const SMTP_URL of ["https://u:hunter22@mail.example.edu", "smtp://", "not a url hunter22", "smtp://u:hunter22%zz@h"]) {
      let message = "";
      try {
        loadConfig({ SMTP_URL });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toContain("SMTP_URL");
      expect(message).not.toContain("hunter22");
    }
    for (const MAIL_FROM of ["tickets", "Admit <tickets>", "<a@b> trailing", "a b@c.d"]) {
      expect(() => loadConfig({ MAIL_FROM })).toThrow(/MAIL_FROM/);
    }
    expect(loadConfig({ MAIL_FROM: "tickets@club.edu" }).mail.from).toBe("tickets@club.edu");
  });
});
