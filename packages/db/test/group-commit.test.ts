import { describe, expect, it } from "vitest";
import { GroupCommit, type BatchOutcome } from "../src/group-commit.ts";

/** A batch runner whose batches finish only when the test says so, recording every batch it was given. */
function gatedRunner(decide: (request: string) => BatchOutcome<string> | "throw" = (r) => ({ ok: true, value: r.toUpperCase() })) {
  const batches: string[][] = [];
  const gates: Array<() => void> = [];
  const run = async (batch: string[]) => {
    batches.push(batch);
    await new Promise<void>((release) => gates.push(release));
    const outcomes = batch.map(decide);
    if (outcomes.includes("throw")) throw new Error(`batch ${batch.join(",")} failed`);
    return outcomes as Array<BatchOutcome<string>>;
  };
  const releaseAll = async () => {
    // Batches started by earlier releases need their own turn; a few rounds settle everything.
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 0));
      gates.splice(0).forEach((release) => release());
    }
  };
  return { batches, run, releaseAll };
}

describe("GroupCommit", () => {
  it("starts a lone request at once and gathers those that arrive while it runs into one batch", async () => {
    const runner = gatedRunner();
    const group = new GroupCommit<string, string>({ run: runner.run, maxBatch: 10, maxConcurrent: 1 });
    const first = group.submit("a");
    const rest = ["b", "c", "d"].map((r) => group.submit(r));
    await runner.releaseAll();
    expect(await first).toBe("A");
    expect(await Promise.all(rest)).toEqual(["B", "C", "D"]);
    expect(runner.batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("never puts two requests with the same key in one batch, and keeps their order", async () => {
    const runner = gatedRunner();
    const group = new GroupCommit<string, string>({ run: runner.run, key: (r) => r[0]!, maxBatch: 10, maxConcurrent: 1 });
    const answers = ["x0", "a1", "b1", "a2", "c1", "a3"].map((r) => group.submit(r));
    await runner.releaseAll();
    await Promise.all(answers);
    expect(runner.batches).toEqual([["x0"], ["a1", "b1", "c1"], ["a2"], ["a3"]]);
  });

  it("caps batch size and runs up to maxConcurrent batches side by side", async () => {
    const runner = gatedRunner();
    const group = new GroupCommit<string, string>({ run: runner.run, maxBatch: 2, maxConcurrent: 2 });
    const answers = ["a", "b", "c", "d", "e", "f"].map((r) => group.submit(r));
    await new Promise((r) => setTimeout(r, 0));
    expect(runner.batches).toEqual([["a"], ["b"]]);
    await runner.releaseAll();
    await Promise.all(answers);
    expect(runner.batches.slice(2)).toEqual([["c", "d"], ["e", "f"]]);
  });

  it("gives each request its own outcome: one refusal does not fail the others", async () => {
    const runner = gatedRunner((r) => (r === "bad" ? { ok: false, error: new Error("refused") } : { ok: true, value: r }));
    const group = new GroupCommit<string, string>({ run: runner.run, maxBatch: 10, maxConcurrent: 1 });
    const answers = ["first", "ok1", "bad", "ok2"].map((r) => group.submit(r).then((v) => v, (e: Error) => `error: ${e.message}`));
    await runner.releaseAll();
    expect(await Promise.all(answers)).toEqual(["first", "ok1", "error: refused", "ok2"]);
  });

  it("runs a failed batch again one request at a time, so only the failing request fails", async () => {
    const runner = gatedRunner((r) => (r === "boom" ? "throw" : { ok: true, value: r }));
    const group = new GroupCommit<string, string>({ run: runner.run, maxBatch: 10, maxConcurrent: 1 });
    const answers = ["first", "ok1", "boom", "ok2"].map((r) => group.submit(r).then((v) => v, (e: Error) => `error: ${e.message}`));
    await runner.releaseAll();
    expect(await Promise.all(answers)).toEqual(["first", "ok1", "error: batch boom failed", "ok2"]);
    expect(runner.batches).toEqual([["first"], ["ok1", "boom", "ok2"], ["ok1"], ["boom"], ["ok2"]]);
  });

  it("fails every request of a batch that gave the wrong number of outcomes, without running it again", async () => {
    let calls = 0;
    const group = new GroupCommit<string, string>({
      run: async (batch) => {
        calls++;
        return batch.length > 1 ? [{ ok: true, value: "only one" }] : [{ ok: true, value: batch[0]! }];
      },
      maxBatch: 10,
      maxConcurrent: 1,
    });
    const blocker = group.submit("first");
    const answers = ["a", "b"].map((r) => group.submit(r).then((v) => v, (e: Error) => e.message));
    expect(await Promise.all([blocker, ...answers])).toEqual(["first", "a batch of 2 gave 1 outcomes", "a batch of 2 gave 1 outcomes"]);
    expect(calls).toBe(2);
  });
});
