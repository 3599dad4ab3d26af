import { EventSource } from "eventsource";

/** After the server refused the stream (or answered with an error), the first pause before asking again. */
const REFUSED_RETRY_MS = 5_000;
const REFUSED_RETRY_MAX_MS = 60_000;

/**
 * The server's push stream (`GET /api/door/stream`, server-sent events): `changed` runs whenever the server says
 * check-ins of this door's showings were committed, when the stream (re)opens and when the server may have missed
 * some, so the door pulls its change feed at once instead of at its next 3-second tick. The browser's own
 * EventSource cannot send the device token, hence the `eventsource` package, which reads the stream through fetch.
 * A dropped connection is reopened after the second the server asks for; a refusal (revoked device, server error)
 * after a pause that doubles up to a minute. The pull loop never depends on this: it is only a wake-up call.
 */
export function openPushStream(url: string, token: string, changed: () => void): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let retryMs = REFUSED_RETRY_MS;

  const open = () => {
    timer = null;
    if (closed) return;
    const current = new EventSource(new URL(url, globalThis.location?.href).toString(), {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
    });
    source = current;
    const wake = () => {
      retryMs = REFUSED_RETRY_MS;
      changed();
    };
    // "ready" comes first on every (re)connection: whatever was committed while the stream was down is caught up.
    for (const name of ["ready", "change", "resync"]) current.addEventListener(name, wake);
    current.addEventListener("error", () => {
      // The library reconnects by itself after a network error; a refusal closes the source for good.
      if (current.readyState !== EventSource.CLOSED || closed) return;
      timer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, REFUSED_RETRY_MAX_MS);
    });
  };

  open();
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}
