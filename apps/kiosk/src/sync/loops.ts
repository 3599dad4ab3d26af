import { classifyFailure, failureMessage, type DoorApi } from "../api.ts";
import type { KioskDb } from "../db.ts";
import { downloadOnce, type DownloadReport } from "./download.ts";
import { uploadAll } from "./upload.ts";

export interface SyncTiming {
  /** Pause between pulls of the change feed while all is well. */
  downloadEveryMs: number;
  /** Pause between looks at the outbox when nothing woke the upload loop. */
  uploadEveryMs: number;
  /** First pause after a failure; doubled after each further failure up to maxBackoffMs. */
  retryAfterMs: number;
  maxBackoffMs: number;
}

export const defaultTiming: SyncTiming = { downloadEveryMs: 3000, uploadEveryMs: 2000, retryAfterMs: 1000, maxBackoffMs: 30_000 };

export interface LoopState {
  /** False after a call that got no answer at all, true after any answer, null before the first call. */
  reachable: boolean | null;
  lastError: string | null;
}

export interface SyncEvents {
  /**
   * The server says this device is revoked or no longer paired: stop everything (wipe). Comes once the scans made
   * before the revocation have been delivered.
   */
  unpaired(message: string): void;
  /** The device was revoked: decide no more scans while the last ones are being delivered. */
  revoked?(message: string): void;
  /** Stored data changed (a download, an upload), or only whether the server could be reached. */
  changed(what: "data" | "reachability"): void;
  downloaded?(report: DownloadReport, ms: number): void;
  uploaded?(count: number, ms: number): void;
}

/** A pause that ends early when woken (a new scan, the network coming back) or when the loops stop. */
class Pause {
  private end: (() => void) | null = null;
  private pending = false;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        this.end = null;
        resolve();
      };
      this.end = finish;
    });
  }

  /** Ends the current pause, or the next one at once if the loop is busy right now. */
  interrupt(): void {
    if (this.end) this.end();
    else this.pending = true;
  }
}

/**
 * Two loops that never wait for each other: downloads keep the door's data fresh even while uploads fail, and
 * uploads drain the outbox even while downloads fail (pretixSCAN iOS skipped downloads after a failed upload).
 */
export class SyncLoops {
  readonly download: LoopState = { reachable: null, lastError: null };
  readonly upload: LoopState = { reachable: null, lastError: null };
  /** The current run; stopping flips it, so loops of an earlier run end even if a new run starts at once. */
  private run: { active: boolean } | null = null;
  private readonly downloadPause = new Pause();
  private readonly uploadPause = new Pause();
  private readonly deliveryPause = new Pause();
  private done: Promise<unknown> = Promise.resolve();
  private closePush: (() => void) | null = null;
  private unpairing = false;
  private stopped = false;

  constructor(
    private readonly db: KioskDb,
    private readonly api: DoorApi,
    private readonly events: SyncEvents,
    private readonly timing: SyncTiming = defaultTiming,
    private readonly now: () => number = () => Date.now(),
  ) {}

  start(): void {
    if (this.run?.active) return;
    this.stopped = false;
    const run = { active: true };
    this.run = run;
    // Pushed wake-ups: another door's admit is pulled within a second instead of at the next tick.
    this.closePush = this.api.push?.(() => this.downloadPause.interrupt()) ?? null;
    const previous = this.done;
    // A new run waits for the previous one's calls to finish, so two never work side by side.
    this.done = previous.then(() =>
      Promise.all([
        this.loop(run, this.download, this.downloadPause, () => this.pull(), this.timing.downloadEveryMs),
        this.loop(run, this.upload, this.uploadPause, () => this.push(), this.timing.uploadEveryMs),
      ]),
    );
  }

  /** Stops both loops; resolves once the call in flight (if any) has finished. */
  async stop(): Promise<void> {
    if (this.run) this.run.active = false;
    // Also ends a revoked door's last delivery (a new pairing replaces the door and its data).
    this.stopped = true;
    this.closePush?.();
    this.closePush = null;
    this.downloadPause.interrupt();
    this.uploadPause.interrupt();
    this.deliveryPause.interrupt();
    await this.done;
  }

  /**
   * A scan was recorded: send it now rather than at the next tick, unless uploads are failing; then it waits for the
   * back-off like the rest, so a queue of offline scans does not turn into one failing call per scan.
   */
  wakeUpload(): void {
    if (!this.upload.lastError) this.uploadPause.interrupt();
  }

  /** The network came back or fresh data is wanted now. */
  wakeAll(): void {
    this.downloadPause.interrupt();
    this.uploadPause.interrupt();
  }

  get reachable(): boolean | null {
    const states = [this.download.reachable, this.upload.reachable].filter((s) => s !== null);
    if (!states.length) return null;
    return states.every(Boolean);
  }

  /** Returns whether stored data may have changed. */
  private async pull(): Promise<boolean> {
    const started = this.now();
    const report = await downloadOnce(this.db, this.api, this.now);
    this.events.downloaded?.(report, this.now() - started);
    return true;
  }

  private async push(): Promise<boolean> {
    const started = this.now();
    const count = await uploadAll(this.db, this.api, this.now);
    if (count) this.events.uploaded?.(count, this.now() - started);
    return count > 0;
  }

  /**
   * A revoked device still delivers the scans it made before its revocation (the server takes them, and refuses
   * later ones), so an admit made offline is never lost; then the door is wiped. Only a token that matches nothing
   * any more (the door was paired again elsewhere) leaves nothing to deliver to. Stopping ends the delivery without
   * the wipe (a new pairing replaces the door, or the door screen comes back and starts the loops, which resume it).
   */
  private async deliverThenUnpair(message: string): Promise<void> {
    if (this.unpairing) return;
    this.unpairing = true;
    try {
      this.events.revoked?.(message);
      let backoff = this.timing.retryAfterMs;
      for (;;) {
        try {
          await uploadAll(this.db, this.api, this.now);
          break;
        } catch (error) {
          const kind = classifyFailure(error);
          if (kind === "unpaired" || kind === "refused") break;
          Object.assign(this.upload, { reachable: kind !== "unreachable", lastError: failureMessage(error) });
          this.events.changed("reachability");
          await this.deliveryPause.sleep(backoff);
          backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
          if (this.stopped) return;
        }
      }
      if (!this.stopped) this.events.unpaired(message);
    } finally {
      this.unpairing = false;
    }
  }

  private async loop(run: { active: boolean }, state: LoopState, pause: Pause, work: () => Promise<boolean>, every: number) {
    let backoff = this.timing.retryAfterMs;
    while (run.active) {
      let wait = every;
      const before = { reachable: state.reachable, lastError: state.lastError };
      let dataChanged = false;
      try {
        dataChanged = await work();
        Object.assign(state, { reachable: true, lastError: null });
        backoff = this.timing.retryAfterMs;
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === "unpaired") {
          run.active = false;
          this.closePush?.();
          await this.deliverThenUnpair(failureMessage(error));
          return;
        }
        // A refusal or a server error is still an answer: the network is fine, the server is not.
        Object.assign(state, { reachable: kind !== "unreachable", lastError: failureMessage(error) });
        wait = backoff;
        backoff = Math.min(backoff * 2, this.timing.maxBackoffMs);
      }
      if (dataChanged) this.events.changed("data");
      else if (state.reachable !== before.reachable || state.lastError !== before.lastError) this.events.changed("reachability");
      if (run.active) await pause.sleep(wait);
    }
  }
}
