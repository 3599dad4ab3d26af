import { describe, expect, it } from "vitest";
import { billingName } from "./payment-request.ts";

describe("billingName (CyberSource wants a first and a last name)", () => {
  it.each([
    { fullName: "Ada Lovelace", forename: "Ada", surname: "Lovelace" },
    { fullName: "  Mary   Ann  Evans ", forename: "Mary Ann", surname: "Evans" },
    { fullName: "Plato", forename: "Plato", surname: "Plato" },
    { fullName: "   ", forename: "Guest", surname: "User" },
    { fullName: "", forename: "Guest", surname: "User" },
  ])("'$fullName' is $forename / $surname", ({ fullName, forename, surname }) => {
    expect(billingName(fullName)).toEqual({ forename, surname });
  });
});
