import { useEffect, useRef } from "react";
import { formatClock, formatDuration } from "../lib/format.ts";
import { useNow } from "../lib/use-now.ts";

export interface CountdownProps {
  /** ISO time the countdown ends at. */
  to: string;
  /** "clock" reads 9:41; "words" reads 2 days 4 hours. */
  style?: "clock" | "words";
  /** Called once when the time is reached. */
  onDone?: () => void;
  /** Shown once the time has passed. */
  doneText?: string;
}

/**
 * Time left until a moment, ticking every second. Screen readers are not interrupted every second: the element is
 * a timer (not live), and callers announce the end themselves.
 */
export function Countdown({ to, style = "words", onDone, doneText = "now" }: CountdownProps) {
  const now = useNow(1000);
  const target = new Date(to).getTime();
  const left = target - now;
  const fired = useRef(false);
  useEffect(() => {
    fired.current = false;
  }, [to]);
  useEffect(() => {
    if (left <= 0 && !fired.current) {
      fired.current = true;
      onDone?.();
    }
  }, [left, onDone]);
  const text = left <= 0 ? doneText : style === "clock" ? formatClock(left) : formatDuration(left);
  return (
    <time className={`countdown countdown-${style}`} dateTime={to} role="timer">
      {text}
    </time>
  );
}
