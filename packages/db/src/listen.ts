import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface Listener {
  /** Stops listening and closes the connection it used. */
  close(): Promise<void>;
}

export interface ListenHandlers {
  notify(payload: string): void;
  /**
   * Listening (re)started: notifications sent while it was down are lost, so whoever relies on them should catch up
   * by other means (the door kiosks pull their change feed).
   */
  listening?(): void;
  /** The connection failed; it is opened again after a pause that doubles up to 30 s. */
  failed?(error: unknown): void;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTEN on PostgreSQL over a connection of its own, never one from the pool: a pooled connection goes back to the
 * pool, and behind a transaction-pooling PgBouncer a session's LISTEN does not survive the transaction. Give
 * `DATABASE_LISTEN_URL` a direct address in that case.
 */
export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!CHANNEL.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retryMs = 1000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let started = false;

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, keepAlive: true, application_name: "admit-listen" });
    client = next;
    const lost = (error: unknown) => {
      if (client !== next) return;
      client = null;
      void next.end().catch(() => undefined);
      if (closed || !started) return;
      handlers.failed?.(error);
      timer = setTimeout(() => void connect().catch(lost), retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    };
    next.on("error", lost);
    next.on("end", () => lost(new Error("The listening connection ended.")));
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? "");
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      lost(error);
      throw error;
    }
    retryMs = 1000;
    handlers.listening?.();
  };

  // The first connection must work: a wrong URL should stop the server at start, not fail quietly.
  await connect();
  started = true;
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

/** The embedded database is one process: its own LISTEN delivers what this process's transactions NOTIFY. */
export async function listenPglite(pglite: PGlite, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!CHANNEL.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  const unlisten = await pglite.listen(channel, (payload) => handlers.notify(payload));
  handlers.listening?.();
  return { close: () => unlisten() };
}
