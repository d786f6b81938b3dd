// Writes SLO minute rollups (good/total per SLO per minute) inside the ingest transaction, and
// keeps the set of SLOs the write path matches spans against.
import type { Database } from "../db/client";
import type { SqlRunner } from "../db/sql-runner";
import { parseSloDefinition } from "../slo/definition";
import { ContributionSums, type SloContribution, type SloRef } from "../slo/span-sli";

/** Adds contributions to the rollups; call it with exactly the spans and jobs that were newly stored. */
export async function addSloContributions(tx: SqlRunner, contributions: readonly SloContribution[]): Promise<void> {
  if (contributions.length === 0) return;
  // One INSERT may not touch a row twice: merge contributions for the same minute first.
  const sums = new ContributionSums();
  for (const c of contributions) sums.add(c.sloId, c.minute, c.good, c.total);
  const rows = sums.values();
  await tx.query(
    `INSERT INTO slo_minute_rollups (slo_id, minute, good, total)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::float8[], $4::float8[])
     ON CONFLICT (slo_id, minute) DO UPDATE SET good = slo_minute_rollups.good + EXCLUDED.good, total = slo_minute_rollups.total + EXCLUDED.total`,
    [rows.map((r) => r.sloId), rows.map((r) => r.minute), rows.map((r) => r.good), rows.map((r) => r.total)],
  );
}

/** The SLOs to match at ingest, reloaded at most every `refreshMs` so a new SLO counts within seconds. */
export function createSloCache(db: Database, refreshMs = 5_000, now = () => Date.now()) {
  let cached: SloRef[] = [];
  let loadedAt = -Infinity;
  let loading: Promise<SloRef[]> | null = null;
  return async function currentSlos(): Promise<SloRef[]> {
    if (now() - loadedAt < refreshMs) return cached;
    loading ??= db.prisma.slo
      .findMany({ select: { id: true, definition: true } })
      .then((rows) => {
        cached = rows.flatMap((r) => {
          const parsed = parseSloDefinition(r.definition);
          return parsed.ok ? [{ id: r.id, definition: parsed.definition }] : [];
        });
        loadedAt = now();
        return cached;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
}
