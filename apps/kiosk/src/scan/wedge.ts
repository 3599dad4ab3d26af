import { useEffect, useRef } from "react";

/**
 * USB and Bluetooth hand scanners type the code as keystrokes and press Enter. Keys arriving further apart than
 * `maxGapMs` start a new code, so stray key presses by a person never end up in front of a scanned code.
 */
export class KeystrokeBuffer {
  private text = "";
  private lastAt = -Infinity;

  constructor(
    private readonly onCode: (text: string) => void,
    private readonly options = { maxGapMs: 250, minLength: 6 },
  ) {}

  /** Feeds one key (KeyboardEvent.key); true when it completed a code. */
  key(key: string, at: number): boolean {
    if (at - this.lastAt > this.options.maxGapMs) this.text = "";
    this.lastAt = at;
    if (key === "Enter") {
      const text = this.text.trim();
      this.text = "";
      if (text.length < this.options.minLength) return false;
      this.onCode(text);
      return true;
    }
    if (key.length === 1) this.text += key;
    return false;
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Listens for a hand scanner on the whole page, except while someone types into a field. */
export function useKeyboardWedge(onCode: (text: string) => void, enabled = true): void {
  const latest = useRef(onCode);
  useEffect(() => {
    latest.current = onCode;
  }, [onCode]);
  useEffect(() => {
    if (!enabled) return;
    const buffer = new KeystrokeBuffer((text) => latest.current(text));
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (buffer.key(event.key, event.timeStamp)) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
