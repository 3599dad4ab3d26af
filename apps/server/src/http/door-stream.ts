import type { Listener } from "@admit/db";
import { DomainError, type DeviceActor } from "@admit/domain";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { PassThrough } from "node:stream";
import type { Runtime } from "../runtime.ts";
import { restActor } from "./rest.ts";
import { route } from "./route.ts";

export const DOOR_STREAM_URL = "/api/door/stream";
/** The channel the `door_push` migration's trigger notifies ("showingId:deviceId") when check-ins commit. */
const CHANNEL = "admit_door";
/** A comment line this often keeps proxies from closing an idle stream, and re-checks the device's token. */
const KEEPALIVE_MS = 20_000;

interface Subscriber {
  deviceId: string;
  showingIds: ReadonlySet<number>;
  write(text: string): void;
  end(): void;
}

/**
 * Push to paired kiosks: one LISTEN per server process (on PostgreSQL a connection of its own, so a check-in
 * committed through any process reaches the streams of every process), fanned out to the streams of the devices
 * that serve the showing. An event only says "pull now"; the kiosk then asks `door.changes` as usual, so a lost
 * event costs nothing but time: the kiosk's 3-second pull stays as the safety net.
 */
class DoorPushHub {
  private readonly subscribers = new Set<Subscriber>();
  private listener: Listener | null = null;

  constructor(
    private readonly runtime: Runtime,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.listener = await this.runtime.db.listen(CHANNEL, {
      notify: (payload) => {
        // "showingId:deviceId": the door that sent these scans already has them and is not woken by its own upload.
        const [showing, from] = payload.split(":");
        const showingId = Number(showing);
        for (const subscriber of this.subscribers) {
          if (subscriber.showingIds.has(showingId) && subscriber.deviceId !== from) subscriber.write(event("change", { showingId }));
        }
      },
      // Notifications sent while the connection was down are lost: every door pulls once to catch up.
      listening: () => {
        for (const subscriber of this.subscribers) subscriber.write(event("resync", {}));
      },
      failed: (error) => this.log.warn({ err: error }, "door push: the LISTEN connection failed; reconnecting (kiosks keep pulling every 3 s)"),
    });
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  async stop(): Promise<void> {
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    await this.listener?.close();
  }
}

function event(name: string, data: object): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function registerDoorStream(app: FastifyInstance, runtime: Runtime) {
  const hub = new DoorPushHub(runtime, app.log);
  app.addHook("onReady", () => hub.start());
  // Open streams never end by themselves; closing the server ends them first.
  app.addHook("preClose", () => hub.stop());

  route(app, {
    method: "GET",
    url: DOOR_STREAM_URL,
    summary: "Server-sent events telling a paired door device to pull its changes now",
    description:
      "For door kiosks (device token). A text/event-stream that stays open: `change` (data `{\"showingId\"}`) when check-ins " +
      "of one of the device's showings are committed, through any server process (not for the device's own uploads); `resync` when the server may have missed " +
      "some; `: keep-alive` comments every 20 s. The events carry no ticket data: the kiosk then calls door.changes.",
    tags: ["door"],
    auth: "device",
    responses: { 200: { description: "The event stream", contentType: "text/event-stream" } },
    handler: async ({ req, reply }) => {
      const actor = await restActor(runtime, req);
      if (actor?.kind !== "device") throw new DomainError("UNAUTHENTICATED", "This door device is not paired.");
      const device: DeviceActor = actor;
      const stream = new PassThrough();
      // restActor found a device behind this header's bearer token.
      const token = (req.headers.authorization ?? "").slice(7).trim();
      const keepAlive = setInterval(() => {
        stream.write(": keep-alive\n\n");
        // A revoked device's stream ends; its next pull learns why.
        runtime.services.devices.authenticate(token, req.ip).catch(() => stream.end());
      }, KEEPALIVE_MS);
      const unsubscribe = hub.subscribe({
        deviceId: device.deviceId,
        showingIds: new Set(device.showingIds),
        write: (text) => stream.write(text),
        end: () => stream.end(),
      });
      reply.raw.once("close", () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
      // The first event makes the kiosk pull once: anything committed before the stream opened is then caught up.
      stream.write(`retry: 1000\n${event("ready", { showingIds: device.showingIds })}`);
      return reply
        .header("content-type", "text/event-stream; charset=utf-8")
        .header("cache-control", "no-store")
        // nginx and similar proxies buffer answers unless told not to; an event must leave when it is written.
        .header("x-accel-buffering", "no")
        .send(stream);
    },
  });
}
