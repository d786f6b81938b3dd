import { readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db/client";
import { applyMigrations, migrationStatus, pendingSchemaChange } from "../lib/db/migrations";
import { TELEMETRY_TABLES } from "../lib/db/telemetry-tables";
import { describeEachDatabase, postgresAvailable } from "./helpers/databases";
import { createPostgresDatabase } from "./helpers/postgres";

describe("schema.prisma and prisma/migrations", () => {
  it("agree (run `npm run db:new -- <name>` after changing the schema)", async () => {
    expect(await pendingSchemaChange(TELEMETRY_TABLES)).toBeNull();
  });
});

describeEachDatabase("migrations", ({ db }) => {
  it("are all applied, and applying again applies nothing", async () => {
    const dirs = (await readdir("prisma/migrations", { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const status = await migrationStatus(db().sql);
    expect(status).toEqual({ applied: dirs, pending: [], modified: [] });
    expect(await applyMigrations(db().sql)).toEqual([]);
  });

  it("refuse to run when an applied migration file was edited", async () => {
    const [first] = await (await import("../lib/db/migrations")).readMigrations();
    if (!first) throw new Error("no migrations");
    await expect(applyMigrations(db().sql, [{ ...first, checksum: "0".repeat(64) }])).rejects.toThrow(/changed after they were applied/);
  });
});

describe.skipIf(!postgresAvailable)("two replicas starting together on one PostgreSQL", () => {
  it("apply each migration exactly once", async () => {
    const target = await createPostgresDatabase("replicas");
    const [a, b] = await Promise.all([openDatabase({ databaseUrl: target.url, dataDir: "" }), openDatabase({ databaseUrl: target.url, dataDir: "" })]);
    try {
      const [appliedA, appliedB] = await Promise.all([applyMigrations(a.sql), applyMigrations(b.sql)]);
      const all = (await migrationStatus(a.sql)).applied;
      expect([...appliedA, ...appliedB].sort()).toEqual(all.sort());
      const rows = await a.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "_prisma_migrations"`);
      expect(Number(rows[0]?.n)).toBe(all.length);
    } finally {
      await a.close();
      await b.close();
      await target.drop();
    }
  });
});
