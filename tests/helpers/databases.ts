// Runs a database test suite on both backends: in-memory PGlite, and a fresh database on the real
// PostgreSQL at 127.0.0.1 (created for the suite, dropped after). Without PostgreSQL the second
// run is skipped with one line, except under CI=true where a missing service is a failure.
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, type Database } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrations";
import { createPostgresDatabase, POSTGRES_ADMIN_URL, probePostgres } from "./postgres";

const postgresProblem = await probePostgres();
if (postgresProblem) {
  if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true but ${POSTGRES_ADMIN_URL} failed: ${postgresProblem}`);
  console.warn(`SKIP PostgreSQL tests: ${POSTGRES_ADMIN_URL} does not answer (${postgresProblem})`);
}
export const postgresAvailable = postgresProblem === null;

export type DatabaseUnderTest = { kind: "pglite" | "postgres"; db: () => Database; url: () => string | undefined };

/** Declares `body` once per backend, with a migrated database open for the whole suite. */
export function describeEachDatabase(title: string, body: (t: DatabaseUnderTest) => void): void {
  for (const kind of ["pglite", "postgres"] as const) {
    describe.skipIf(kind === "postgres" && !postgresAvailable)(`${title} [${kind}]`, () => {
      let db: Database | undefined;
      let url: string | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        if (kind === "postgres") {
          const created = await createPostgresDatabase(title);
          url = created.url;
          drop = created.drop;
        }
        db = await openDatabase({ databaseUrl: url, dataDir: "memory://" });
        await applyMigrations(db.sql);
      });
      afterAll(async () => {
        await db?.close();
        await drop?.();
      });
      body({
        kind,
        db: () => {
          if (!db) throw new Error("database not open yet");
          return db;
        },
        url: () => url,
      });
    });
  }
}
