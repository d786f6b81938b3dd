// Keeps the set of SLOs the write path matches spans against, and the barrier a rebuild waits on
// (the rollup rows themselves are written by lib/telemetry/write/slo-rollups.ts).
import type { Database } from "../../db/client";
import type { SqlRunner } from "../../db/sql-runner";
import { parseSloDefinition } from "../core/definition";
import type { SloRef } from "../core/span-sli";

// Ingest transactions hold this lock shared from before they read the SLO set until they commit; a rebuild takes it
// exclusively once (sloSetBarrier), so no transaction that matched spans against an older SLO set is still open after.
const SLO_SET_LOCK_KEY = 7_141_020;

/** Identifies the SLO set: every id with its version (bumped on each change). */
const SET_VERSION = `coalesce(md5(string_agg(id::text || ':' || version::text, ',' ORDER BY id)), '')`;

/**
 * The SLOs to match at ingest, as the database holds them when the calling transaction asks: call it first inside
 * the ingest transaction. Each call costs one small query (the set's version); definitions are re-read and parsed
 * only when an SLO was created, changed or deleted. So a span committed after an SLO's rebuild began is counted by
 * ingest, never left to a cache refresh.
 */
export function createSloCache(db: Database) {
  let cached: { version: string; slos: SloRef[] } = { version: "", slos: [] };
  return async function currentSlos(tx: SqlRunner = db.sql): Promise<SloRef[]> {
    // PGlite is one session whose transactions run one at a time: nothing to exclude there.
    if (tx.kind === "postgres") await tx.query(`SELECT pg_advisory_xact_lock_shared($1)`, [SLO_SET_LOCK_KEY]);
    const [current] = await tx.query<{ version: string }>(`SELECT ${SET_VERSION} AS version FROM slos`);
    if (current?.version === cached.version) return cached.slos;
    // One statement, one snapshot: the version stored describes exactly the definitions read beside it.
    const rows = await tx.query<{ id: string; definition: unknown; version: string }>(`SELECT id::text AS id, definition, (SELECT ${SET_VERSION} FROM slos) AS version FROM slos`);
    const slos = rows.flatMap((r) => {
      const parsed = parseSloDefinition(r.definition);
      return parsed.ok ? [{ id: r.id, definition: parsed.definition }] : [];
    });
    cached = { version: rows[0]?.version ?? "", slos };
    return slos;
  };
}

/**
 * Waits until every ingest transaction open now has committed or rolled back. Every ingest transaction that starts
 * after this returns reads the SLO set as committed before this call, so it sees an SLO whose rebuild is starting.
 */
export async function sloSetBarrier(sql: SqlRunner): Promise<void> {
  if (sql.kind !== "postgres") return;
  await sql.transaction((tx) => tx.query(`SELECT pg_advisory_xact_lock($1)`, [SLO_SET_LOCK_KEY]).then(() => undefined));
}
