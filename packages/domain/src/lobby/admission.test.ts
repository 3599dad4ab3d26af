import { describe, expect, it } from "vitest";
import { admissionBatch, claimOf, roomFor } from "./admission.ts";

const student = (limit: number, held = 0, owned = 0) => ({ limit, held, owned });

describe("claimOf", () => {
  it.each([
    { counts: student(2), claim: 2 },
    { counts: student(2, 1), claim: 1 },
    { counts: student(2, 0, 1), claim: 1 },
    { counts: student(2, 1, 1), claim: 0 },
    { counts: student(2, 0, 3), claim: 0 },
  ])("limit $counts.limit, held $counts.held, owned $counts.owned: $claim", ({ counts, claim }) => {
    expect(claimOf(counts)).toBe(claim);
  });
});

describe("roomFor", () => {
  it.each([
    { name: "nobody admitted", sellable: 10, admitted: [], room: 10 },
    { name: "admitted students' claims are set aside", sellable: 10, admitted: [student(2), student(2)], room: 6 },
    { name: "a held ticket has left the sellable count already", sellable: 9, admitted: [student(2, 1), student(2)], room: 6 },
    { name: "never below zero", sellable: 1, admitted: [student(2), student(2)], room: 0 },
  ])("$name: $room", ({ sellable, admitted, room }) => {
    expect(roomFor(sellable, admitted)).toBe(room);
  });
});

describe("admissionBatch", () => {
  it.each([
    { name: "10 tickets, limit 2: five students", room: 10, waiting: Array.from({ length: 8 }, () => student(2)), admitted: 5, left: 0 },
    { name: "room for half a student: the first still comes in", room: 1, waiting: [student(2), student(2)], admitted: 1, left: 0 },
    { name: "no room: nobody", room: 0, waiting: [student(2)], admitted: 0, left: 0 },
    { name: "odd room: whole claims only after the first", room: 5, waiting: Array.from({ length: 4 }, () => student(2)), admitted: 2, left: 1 },
    { name: "someone who owns some claims less", room: 4, waiting: [student(2, 0, 1), student(2), student(2)], admitted: 2, left: 1 },
    { name: "someone with nothing left to buy takes no room", room: 2, waiting: [student(2, 0, 2), student(2)], admitted: 2, left: 0 },
    { name: "fewer waiting than room", room: 10, waiting: [student(2)], admitted: 1, left: 8 },
  ])("$name", ({ room, waiting, admitted, left }) => {
    const batch = admissionBatch(room, waiting);
    expect(batch.admit).toEqual(waiting.slice(0, admitted));
    expect(batch.roomLeft).toBe(left);
  });
});
