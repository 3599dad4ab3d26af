import { randomUUID } from "node:crypto";
import { applyMigrations, openDatabase } from "@admit/db";
import { createClub, createEvent, createShowing } from "@admit/db/factories";
import pg from "pg";
import { startTestServer, trpc } from "../test/harness.ts";
const ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres";
const N = Number(process.env.N ?? 5000);
async function q(sql: string) { const c = new pg.Client({ connectionString: ADMIN }); await c.connect(); await c.query(sql); await c.end(); }
const name = `admit_probe_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
await q(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN); url.pathname = `/${name}`;
try {
  const m = await openDatabase({ url: url.toString(), poolSize: 2 }); await applyMigrations(m); await m.close();
  const server = await startTestServer({ kind: "postgresql", open: () => openDatabase({ url: url.toString(), poolSize: 20 }) }, { LOG_LEVEL: "error" });
  const { prisma } = server.db;
  const officer = await server.createAccount();
  const token = await server.tokenFor(officer.username);
  const club = await createClub(prisma, { officers: [officer.id] });
  const event = await createEvent(prisma, club.id);
  const showing = await createShowing(prisma, event.id);
  for (let s = 0; s < N; s += 5000) {
    const users = Array.from({ length: Math.min(5000, N - s) }, (_, i) => ({ id: randomUUID(), username: `p${s + i}`, email: `p${s + i}@x.edu`, fullName: `P ${s + i}` }));
    await prisma.user.createMany({ data: users });
    await prisma.ticket.createMany({ data: users.map((u) => ({ showingId: showing.id, type: "G", price: "1.00", ownerId: u.id })) });
  }
  const created = await trpc(server, "kiosk.createDevice", { token, mutation: true, input: { clubId: club.id, name: "d", showingIds: [showing.id] } });
  const paired = await trpc(server, "kiosk.pair", { mutation: true, input: { code: (created.data as any).pairingCode } });
  const dev = (paired.data as any).token;
  const man = await trpc(server, "door.manifest", { token: dev });
  const ids = (man.data as any).tickets.map((x: any) => x.id);
  let offset = 0;
  for (const conc of [1, 2, 4, 8]) {
    const batches = Array.from({ length: 8 }, () => {
      const scans = ids.slice(offset, offset + 200).map((id: string) => ({ clientScanId: randomUUID(), ticketId: id, showingId: showing.id, action: "ADMIT", scannedAt: new Date().toISOString(), generation: 0 }));
      offset += 200;
      return scans;
    });
    const t = performance.now();
    for (let i = 0; i < batches.length; i += conc) {
      await Promise.all(batches.slice(i, i + conc).map((scans) => trpc(server, "door.upload", { token: dev, mutation: true, input: { scans } })));
    }
    console.log("concurrency", conc, "1600 scans", Math.round(performance.now() - t), "ms");
  }
  await server.close();
} finally { await q(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }
process.exit(0);
