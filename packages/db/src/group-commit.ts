/**
 * Group commit: requests that arrive while earlier ones are being written are gathered and handled together, in one
 * transaction of a few statements, instead of a few statements and a transaction each. In an on-sale rush the cost
 * of a request is mostly its database round trips, so a batch of twenty costs little more than a batch of one.
 *
 * Nothing waits for a timer: when a slot is free a request starts at once (a batch of one), and batches grow only
 * while every slot is busy. A batch that fails as a whole (an unexpected error, a deadlock, a rule that can only be
 * refused by rolling back) is run again one request at a time, each in its own transaction, so one request's failure
 * never becomes another's. The queue holds only requests in flight: nothing in it outlives the process's answers.
 */
export type BatchOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

export interface GroupCommitOptions<Request, Result> {
  /**
   * Handles a batch and gives one outcome per request, in order. An outcome with an error must leave no trace of
   * its request; a request whose refusal needs a rollback must throw instead, which fails the batch.
   */
  run(batch: Request[]): Promise<Array<BatchOutcome<Result>>>;
  /** Requests with the same key (say, one person's cart) never share a batch; they keep their order. */
  key?: (request: Request) => string;
  /** The most requests in one batch. */
  maxBatch: number;
  /** The most batches running at once (each holds one pooled connection). */
  maxConcurrent: number;
}

interface Waiting<Request, Result> {
  request: Request;
  resolve(value: Result): void;
  reject(error: unknown): void;
}

export class GroupCommit<Request, Result> {
  private readonly queue: Array<Waiting<Request, Result>> = [];
  private running = 0;

  constructor(private readonly options: GroupCommitOptions<Request, Result>) {
    if (options.maxBatch < 1 || options.maxConcurrent < 1) throw new Error("maxBatch and maxConcurrent must be at least 1");
  }

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches() {
    while (this.running < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        this.startBatches();
      });
    }
  }

  /** The oldest waiting requests, at most one per key, up to maxBatch; the rest keep their place in the queue. */
  private takeBatch(): Array<Waiting<Request, Result>> {
    const { key, maxBatch } = this.options;
    if (!key) return this.queue.splice(0, maxBatch);
    const batch: Array<Waiting<Request, Result>> = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < maxBatch; ) {
      const k = key(this.queue[i]!.request);
      if (keys.has(k)) {
        i++;
        continue;
      }
      keys.add(k);
      batch.push(this.queue.splice(i, 1)[0]!);
    }
    return batch;
  }

  private async runBatch(batch: Array<Waiting<Request, Result>>): Promise<void> {
    let outcomes: Array<BatchOutcome<Result>>;
    try {
      outcomes = await this.options.run(batch.map((w) => w.request));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // The batch rolled back as a whole: every request gets its own transaction and its own answer, one after
      // another, so a failed batch never needs more connections than it had.
      for (const waiting of batch) await this.runBatch([waiting]);
      return;
    }
    if (outcomes.length !== batch.length) {
      // Whatever the batch wrote has committed, so running it again could do it twice: every request fails.
      const error = new Error(`a batch of ${batch.length} gave ${outcomes.length} outcomes`);
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
