import type { DoorConflict, DoorGate, DoorMode } from "@admit/door";
import type { VerifyingKey } from "@admit/ticket-codes";
import { createDoorApi, type DoorApi } from "./api.ts";
import { getMeta, openKioskDb, setMeta, type KioskDb } from "./db.ts";
import { emptyCounts, localCounts, storedCounts, withScans } from "./door-counts.ts";
import { decideAndRecord, recordManualAdmit, recordUndo, type DoorContext, type ScanOutcome } from "./scan/record.ts";
import { RepeatFilter } from "./scan/repeat.ts";
import { checkScannedCode, verifyingKeys } from "./scan/verify.ts";
import { metaKeys, type Counts, type Gate, type PublishedKeys, type Showing } from "./sync/download.ts";
import { SyncLoops, type SyncTiming } from "./sync/loops.ts";
import { isUnreflected } from "./sync/merge.ts";
import { TicketSearch, type SearchHit } from "./search.ts";

/** What pairing stored: the device token and who this door is. */
export interface Pairing {
  token: string;
  deviceId: string;
  name: string;
  club: { id: number; code: string; name: string };
}

export const PAIRING_KEY = "pairing";

export interface KioskStatus {
  /** The door has its tickets and keys and can decide scans. */
  ready: boolean;
  showings: Showing[];
  /** The server's counts with this door's not-yet-reflected scans added. */
  counts: Counts;
  /** Scans waiting to be uploaded. */
  pending: number;
  lastSyncAt: number | null;
  /** The server answered the most recent calls (and the browser thinks it is online). */
  online: boolean;
  conflicts: DoorConflict[];
  clockOffsetMs: number;
  lastError: string | null;
  /** Revoked by an officer: no more scans; the ones made before are being sent, then the door's data is deleted. */
  revoked?: boolean;
  /** Entrance (admits) or exit (records people leaving), switched on the tablet and kept across reloads. */
  mode: DoorMode;
  /** The ticket types this door admits (empty: all) and the other doors, as the officer set them. */
  gate: DoorGate;
}

export interface ShownResult extends ScanOutcome {
  /** The same code seen again within the repeat window: this is its earlier result, shown again. */
  repeat: boolean;
  /** A repeat that left the camera's view and came back (a phone passed on): its ADMIT is not a new admit. */
  shownAgain: boolean;
  /** This read is the one that came back (the door sounds once for it, not for every frame after). */
  backInView: boolean;
  /** Decided at (local ms), for the screen's auto-hide. */
  at: number;
}

const openGate: DoorGate = { allowedTypes: [], otherDoors: [] };

/**
 * One paired door: its data, its sync loops and every way a scan comes in (camera, hand scanner, search). Screens
 * subscribe to its status; scans go through `submit`, which answers within milliseconds from local data.
 */
export class Kiosk {
  private listeners = new Set<() => void>();
  private keys: VerifyingKey[] = [];
  private context: DoorContext | null = null;
  private readonly repeats = new RepeatFilter<Promise<ScanOutcome>>();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshDeadline: number | null = null;
  private readonly names: TicketSearch;
  /** The same database through a connection whose writes are flushed to disk before they count as done. */
  private readonly scanDb: KioskDb;
  readonly loops: SyncLoops;
  status: KioskStatus = {
    ready: false,
    showings: [],
    counts: emptyCounts,
    pending: 0,
    lastSyncAt: null,
    online: false,
    conflicts: [],
    clockOffsetMs: 0,
    lastError: null,
    mode: "ENTRANCE",
    gate: openGate,
  };

  constructor(
    readonly db: KioskDb,
    readonly pairing: Pairing,
    onUnpaired: (message: string) => void,
    options: { api?: DoorApi; timing?: SyncTiming } = {},
  ) {
    this.scanDb = openKioskDb(db.name, "strict");
    this.names = new TicketSearch(db);
    this.loops = new SyncLoops(
      db,
      options.api ?? createDoorApi(pairing.token),
      {
        unpaired: onUnpaired,
        // Revoked: no more verdicts while the scans made before the revocation are delivered, then the wipe.
        revoked: (message) => {
          this.context = null;
          this.emit({ ready: false, revoked: true, lastError: message });
        },
        changed: (what) => (what === "data" ? this.scheduleRefresh() : this.updateReachability()),
        downloaded: (report, ms) => {
          if (report.changed !== "all") return this.names.update(report.changed);
          this.names.invalidate();
          performance.measure("admit:manifest", { start: performance.now() - ms, duration: ms, detail: { tickets: report.tickets, fetchMs: report.fetchMs } });
          void this.loadDoor();
        },
      },
      options.timing,
    );
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = () => this.status;

  private emit(patch: Partial<KioskStatus>) {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener();
  }

  async start(): Promise<void> {
    await this.loadDoor();
    this.loops.start();
  }

  stop(): Promise<void> {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    return this.loops.stop();
  }

  /** Reads keys and showings after a (re)download; the door can scan once both are there. */
  private async loadDoor(): Promise<void> {
    const [keys, showings, mode] = await Promise.all([
      getMeta<PublishedKeys>(this.db, metaKeys.keys),
      getMeta<Showing[]>(this.db, metaKeys.showings),
      getMeta<DoorMode>(this.db, metaKeys.mode),
    ]);
    this.keys = verifyingKeys(keys ?? []);
    const ready = keys !== undefined && showings !== undefined;
    this.context = ready
      ? {
          db: this.scanDb,
          showingIds: showings.map((s) => s.id),
          keys: this.keys,
          door: this.pairing.name,
          now: () => new Date(),
          newScanId: () => crypto.randomUUID(),
          mode: mode ?? "ENTRANCE",
          gate: this.status.gate,
        }
      : null;
    this.emit({ ready, showings: showings ?? [], mode: mode ?? "ENTRANCE" });
    await this.refresh();
  }

  /** A scanned text from any source. Repeats of the last code within the window get its earlier result. */
  async submit(text: string): Promise<ShownResult | null> {
    const context = this.context;
    if (!context) return null;
    const at = Date.now();
    const earlier = this.repeats.recall(text, at);
    if (earlier) return { ...(await earlier.result), repeat: true, shownAgain: earlier.shownAgain, backInView: earlier.backInView, at };
    const started = performance.now();
    let verifyMs = 0;
    const decided = (async () => {
      const code = await checkScannedCode(text, context.keys);
      verifyMs = performance.now() - started;
      return decideAndRecord(context, code, code.ok ? code.generation : null);
    })();
    // Remembered at once, so the same code read again while this one is being decided gets this result.
    this.repeats.remember(text, at, decided);
    // A scan that could not be stored has no verdict; the same code must be decided afresh when shown again.
    decided.catch(() => this.repeats.forget());
    const outcome = await decided;
    // The whole decision as the door sees it (verify, look up, outbox write); read by the benchmark.
    performance.measure("admit:decide", { start: started, end: performance.now(), detail: { verdict: outcome.verdict, verifyMs } });
    this.afterDecision(outcome);
    return { ...outcome, repeat: false, shownAgain: false, backInView: false, at };
  }

  /** Check-in from the search list, through the same policy. */
  async admitFromSearch(ticketId: string): Promise<ShownResult | null> {
    if (!this.context) return null;
    const outcome = await recordManualAdmit(this.context, ticketId);
    this.afterDecision(outcome);
    return { ...outcome, repeat: false, shownAgain: false, backInView: false, at: Date.now() };
  }

  /** Switches the door between letting people in and recording them leaving; kept across reloads. */
  async setMode(mode: DoorMode): Promise<void> {
    await setMeta(this.db, metaKeys.mode, mode);
    if (this.context) this.context = { ...this.context, mode };
    // The same code read right after the switch must be decided afresh, the new way.
    this.repeats.forget();
    this.emit({ mode });
  }

  async undo(admitScanId: string): Promise<void> {
    if (!this.context) return;
    await recordUndo(this.context, admitScanId);
    const undone = await this.db.outbox.get(admitScanId);
    this.repeats.forget();
    this.emit({ pending: this.status.pending + 1, counts: undone ? withScans(this.status.counts, [undone], -1) : this.status.counts });
    this.loops.wakeUpload();
    this.scheduleRefresh();
  }

  search(query: string): Promise<SearchHit[]> {
    return this.names.search(query);
  }

  private afterDecision(outcome: ScanOutcome) {
    if (outcome.unknownKey) {
      // A key this door has not seen: fetch the manifest again, it carries the current key list.
      void setMeta(this.db, metaKeys.refreshWanted, true).then(() => this.loops.wakeAll());
    }
    if (!outcome.clientScanId) return;
    // Counted at once (each showing's numbers with the recount just after); the full recount also runs after the
    // next upload or download.
    const scan = { action: outcome.verdict === "EXIT" ? ("EXIT" as const) : ("ADMIT" as const), reentry: outcome.reentry, showingId: -1 };
    this.emit({ pending: this.status.pending + 1, counts: withScans(this.status.counts, [scan]) });
    this.loops.wakeUpload();
    this.scheduleRefresh();
  }

  /** The browser's network state changed: say so at once and retry right away when it is back. */
  networkChanged(): void {
    if (navigator.onLine) this.loops.wakeAll();
    this.updateReachability();
  }

  private updateReachability() {
    this.emit({
      online: navigator.onLine && this.loops.reachable !== false,
      lastError: this.loops.download.lastError ?? this.loops.upload.lastError,
    });
  }

  /**
   * A recount reads every scan not yet reflected (thousands after an outage), and a scan whose transaction comes
   * during it waits for it. So it runs once things pause for 250 ms, and during a long burst at most every 2 s; the
   * counts shown move at once anyway (afterDecision).
   */
  private scheduleRefresh() {
    const now = performance.now();
    this.refreshDeadline ??= now + 2000;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refreshDeadline = null;
      void this.refresh();
    }, Math.max(0, Math.min(250, this.refreshDeadline - now)));
  }

  /** Recounts from the stored data: server counts plus this door's admits and undos the server data lacks. */
  async refresh(): Promise<void> {
    const db = this.db;
    const [counts, gate, lastSyncAt, clockOffsetMs, unreflected, conflicts] = await Promise.all([
      getMeta<Counts>(db, metaKeys.counts),
      getMeta<Gate>(db, metaKeys.gate),
      getMeta<number>(db, metaKeys.lastSyncAt),
      getMeta<number>(db, metaKeys.clockOffsetMs),
      db.outbox.where("state").anyOf("pending", "uploaded").toArray(),
      db.conflicts.orderBy("scannedAt").reverse().toArray(),
    ]);
    const undone = new Set(unreflected.filter((s) => s.action === "UNDO").map((s) => s.undoesScanId));
    const undoneScans = await db.outbox.bulkGet([...undone].filter((id): id is string => id !== null));
    const undoneButReflected = undoneScans.filter((scan): scan is NonNullable<typeof scan> => scan !== undefined && !isUnreflected(scan));
    // The officer may change which types this door admits at any time; it arrives with the change feed.
    const doorGate = gate ?? openGate;
    if (this.context) this.context = { ...this.context, gate: doorGate };
    this.emit({
      gate: doorGate,
      counts: localCounts(storedCounts(counts ?? emptyCounts), unreflected, undoneButReflected),
      lastSyncAt: lastSyncAt ?? null,
      clockOffsetMs: clockOffsetMs ?? 0,
      pending: unreflected.filter((s) => s.state === "pending").length,
      conflicts,
    });
    this.updateReachability();
  }
}

export async function loadPairing(db: KioskDb): Promise<Pairing | undefined> {
  return getMeta<Pairing>(db, PAIRING_KEY);
}
