/** How long the same code is answered with its earlier result instead of being decided again. */
export const REPEAT_WINDOW_MS = 2000;

/**
 * A camera reads a code held in view several times a second (a missed frame or two included); a longer pause means
 * the code left the camera and came back, as a phone passed back to a friend does.
 */
export const STILL_IN_VIEW_MS = 700;

export interface Recalled<T> {
  result: T;
  /**
   * The code left the camera's view (or was scanned again on purpose) and came back, now or earlier in this run of
   * repeats: a phone passed on, held up by someone else. It stays so while the code is held in view.
   */
  shownAgain: boolean;
  /** This very read is the one that came back (once per return: for a sound, not for every frame). */
  backInView: boolean;
}

/**
 * A camera reads a held-up code ten times a second and hand scanners sometimes fire twice. The same text seen again
 * within the window (counted from its last sighting, so a code held in view stays on its first verdict) gets the
 * earlier result back; any other code is decided at once, with no debounce.
 */
export class RepeatFilter<T> {
  private last: { text: string; at: number; result: T; shownAgain: boolean } | null = null;

  constructor(
    private readonly windowMs = REPEAT_WINDOW_MS,
    private readonly stillInViewMs = STILL_IN_VIEW_MS,
  ) {}

  /** The earlier result if `text` is a repeat at time `now`; undefined when it must be decided. */
  recall(text: string, now: number): Recalled<T> | undefined {
    if (!this.last || this.last.text !== text || now - this.last.at > this.windowMs) return undefined;
    const backInView = now - this.last.at > this.stillInViewMs;
    this.last.at = now;
    this.last.shownAgain ||= backInView;
    return { result: this.last.result, shownAgain: this.last.shownAgain, backInView };
  }

  remember(text: string, now: number, result: T): void {
    this.last = { text, at: now, result, shownAgain: false };
  }

  forget(): void {
    this.last = null;
  }
}
