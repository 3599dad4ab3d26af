/** How long the same code is answered with its earlier result instead of being decided again. */
export const REPEAT_WINDOW_MS = 2000;

/**
 * A camera reads a held-up code ten times a second and hand scanners sometimes fire twice. The same text seen again
 * within the window (counted from its last sighting, so a code held in view stays on its first verdict) gets the
 * earlier result back; any other code is decided at once, with no debounce.
 */
export class RepeatFilter<T> {
  private last: { text: string; at: number; result: T } | null = null;

  constructor(private readonly windowMs = REPEAT_WINDOW_MS) {}

  /** The earlier result if `text` is a repeat at time `now`; undefined when it must be decided. */
  recall(text: string, now: number): T | undefined {
    if (!this.last || this.last.text !== text || now - this.last.at > this.windowMs) return undefined;
    this.last.at = now;
    return this.last.result;
  }

  remember(text: string, now: number, result: T): void {
    this.last = { text, at: now, result };
  }

  forget(): void {
    this.last = null;
  }
}
