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

  // Runs where the suite has a PostgreSQL server: the script path there is ours (the adapter's own splits on ";").
  describe.runIf(process.env.TEST_DATABASE_URL)("a PostgreSQL migration script", () => {
    it("runs whole, function bodies included, and a failing one reports PostgreSQL's error", async () => {
      const { mkdtemp, mkdir, writeFile } = await import("node:fs/promises");
      const { tmpdir } = await import("node:os");
      const { randomUUID } = await import("node:crypto");
      const pg = (await import("pg")).default;
      const { openDatabase } = await import("../src/client.ts");
      const { applyMigrations } = await import("../src/migrations.ts");
      const adminUrl = process.env.TEST_DATABASE_URL!;
      const name = `admit_scripts_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const dir = await mkdtemp(`${tmpdir()}/admit-scripts-`);
      const migration = async (folder: string, sql: string) => {
        await mkdir(`${dir}/${folder}`);
        await writeFile(`${dir}/${folder}/migration.sql`, sql);
      };
      await migration(
        "1_function",
        `CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY, "text" TEXT NOT NULL);
CREATE FUNCTION note_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."text" := upper(NEW."text");
  RETURN NEW;
END;
$$;
CREATE TRIGGER note_upper BEFORE INSERT ON "Note" FOR EACH ROW EXECUTE FUNCTION note_upper();`,
      );
      const db = await openDatabase({ url: url.toString(), poolSize: 2 });
      try {
        expect(await applyMigrations(db, dir)).toEqual(["1_function"]);
        // No session of the migration is left holding an advisory lock (ours or the schema engine's).
        const [held] = await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
        );
        expect(held?.n).toBe(0);
        const [row] = await db.prisma.$queryRawUnsafe<Array<{ text: string }>>(`INSERT INTO "Note" ("text") VALUES ('hi') RETURNING "text"`);
        expect(row?.text).toBe("HI");
        await migration("2_broken", `SELECT "nothing" FROM "NoSuchTable";`);
        await expect(applyMigrations(db, dir)).rejects.toThrow(/NoSuchTable/);
      } finally {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
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
