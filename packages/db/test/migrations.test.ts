import { describe, expect, it } from "vitest";
import { createUser } from "../src/factories.ts";
import { diffMigrationsToSchema, migrationState, readMigrations } from "../src/migrations.ts";
import { testBackends } from "../src/testing.ts";

describe("migrations", () => {
  it("prisma/migrations produce exactly prisma/schema.prisma (no drift)", async () => {
    const sql = await diffMigrationsToSchema();
    expect(sql, `schema and migrations differ; run npm run db:migration -- <name>:\n${sql}`).toBe("");
  });

  it("reports drift when the schema gains a column the migrations lack", async () => {
    const { mkdtemp, writeFile, readFile, cp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { schemaPath, migrationsDir } = await import("../src/paths.ts");
    const dir = await mkdtemp(`${tmpdir()}/admit-drift-`);
    await cp(migrationsDir, `${dir}/migrations`, { recursive: true });
    const changed = (await readFile(schemaPath, "utf8")).replace(
      "model Club {\n",
      "model Club {\n  motto String?\n",
    );
    await writeFile(`${dir}/schema.prisma`, changed);
    const sql = await diffMigrationsToSchema(`${dir}/migrations`, `${dir}/schema.prisma`);
    expect(sql).toContain('ADD COLUMN     "motto" TEXT');
  });

  for (const backend of testBackends()) {
    describe(backend.kind, () => {
      it("applies every migration and records it in _prisma_migrations", async () => {
        const db = await backend.open();
        try {
          const files = (await readMigrations()).migrationDirectories.map((m) => m.path);
          const state = await migrationState(db);
          expect(state.pending).toEqual([]);
          expect(state.applied).toBe(files.length);
          const user = await createUser(db.prisma);
          expect(await db.prisma.user.count({ where: { id: user.id } })).toBe(1);
        } finally {
          await db.close();
        }
      });

      it("stores prices above 999.99 exactly", async () => {
        const db = await backend.open();
        try {
          const { createClub, createEvent, createShowing, createTickets } = await import("../src/factories.ts");
          const club = await createClub(db.prisma);
          const event = await createEvent(db.prisma, club.id);
          const showing = await createShowing(db.prisma, event.id);
          const [ticket] = await createTickets(db.prisma, showing.id, { type: "gala", count: 1, price: "12345678.90" });
          expect(ticket?.price.toFixed(2)).toBe("12345678.90");
        } finally {
          await db.close();
        }
      });
    });
  }
});
