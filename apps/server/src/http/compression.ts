import fastifyCompress from "@fastify/compress";
import type { FastifyInstance } from "fastify";

/**
 * Compressed answers (brotli or gzip, as the client accepts) through @fastify/compress. The web apps' files are
 * compressed at build time and sent as they are (web-apps.ts): an answer that already has a Content-Encoding is left
 * alone. Server-sent event streams are never compressed (compress's default types exclude text/event-stream), so
 * each event still reaches the browser when it is written.
 *
 * tRPC hands Fastify a fetch Response, whose body compress would stream through a compressor whatever its size.
 * A tRPC answer is one JSON document (our apps use no streaming link), so it is read out first: then, like every
 * REST answer, one under the 1 KB threshold goes as it is, with a Content-Length, and a larger one is compressed.
 * A streamed answer, should a client ask for one, is neither read out nor compressed.
 */
export async function registerCompression(app: FastifyInstance) {
  app.addHook("onSend", async (req, reply, payload) => {
    if (!(payload instanceof Response) || !req.url.startsWith("/trpc/")) return payload;
    const type = payload.headers.get("content-type") ?? "";
    if (!/^application\/json\b/.test(type)) return payload;
    if (payload.headers.get("transfer-encoding") === "chunked") {
      // A streamed answer (a client asking for application/jsonl): a compressor would hold its parts back until
      // its buffer filled. compress leaves alone any request carrying this header.
      req.headers["x-no-compression"] = "streamed";
      return payload;
    }
    reply.code(payload.status);
    for (const [name, value] of payload.headers) reply.header(name, value);
    return Buffer.from(await payload.arrayBuffer());
  });
  await app.register(fastifyCompress, { threshold: 1024 });
}
