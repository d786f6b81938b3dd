// Times one engine tick of evaluateAllSlos over N SLOs with 30 days of minute rollups, against a plain SQL
// aggregate (good/total per SLO per alert window) over the same rows. `npx tsx bench/slo-eval.ts [--db pglite|postgres] [--slos 1000]`
import type { Database } from "../lib/db/client";
import { openBenchDatabase } from "./target-database";
import { applyMigrations } from "../lib/db/migrations";
import { createLogger } from "../lib/observability/logger";
import { parseSloDefinition } from "../lib/slo/core/definition";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const BACKEND = arg("db", "pglite");
const SLOS = Number(arg("slos", "1000"));
const DAYS = Number(arg("days", "30"));
/** One rollup row every STEP minutes per SLO: 5 keeps 1,000 × 30 days at 8.6 M rows; 1 is the dense worst case. */
const STEP = Number(arg("step-minutes", "5"));
const TICKS = Number(arg("ticks", "4"));
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
const NOW_MINUTE = Math.floor(NOW.getTime() / 60_000);
const WINDOWS = [5, 30, 60, 120, 360, 1440, 4320, DAYS * 1440];

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}


/** SLOs as the API would store them, 0.04 % errors; every 20th has a 2 % incident in the last two hours, so the first tick raises alerts. */
async function seed(db: Database): Promise<number> {
  const template = parseSloDefinition({ name: "bench-slo", service: "svc", sli: { kind: "availability", selector: { service: "svc" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 30 } });
  if (!template.ok) throw new Error(template.reason);
  await db.sql.query(
    `INSERT INTO slos (id, name, service, definition, updated_at)
     SELECT gen_random_uuid(), 'bench-slo-' || i, 'svc-' || (i % 20),
            jsonb_set(jsonb_set($1::jsonb, '{name}', to_jsonb('bench-slo-' || i)), '{service}', to_jsonb('svc-' || (i % 20))), now()
     FROM generate_series(1, $2::int) AS i`,
    [JSON.stringify(template.definition), SLOS],
  );
  const first = NOW_MINUTE - DAYS * 1440 + 1;
  // A bulk load builds its key and foreign key once at the end, as a restore would; row-by-row checks triple the time.
  await db.sql.exec(`ALTER TABLE slo_minute_rollups DROP CONSTRAINT slo_minute_rollups_slo_id_fkey; ALTER TABLE slo_minute_rollups DROP CONSTRAINT slo_minute_rollups_pkey`);
  const ids = (await db.sql.query<{ id: string; n: number }>("SELECT id, row_number() OVER (ORDER BY name)::int AS n FROM slos ORDER BY name"));
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    await db.sql.query(
      `INSERT INTO slo_minute_rollups (slo_id, minute, good, total)
       SELECT s.id, m, total - CASE WHEN s.n % 20 = 0 AND m > $4::int - 120 THEN total * 0.02 WHEN (m + s.n) % 20 = 0 THEN 1 ELSE 0 END, total
       FROM unnest($1::uuid[], $2::int[]) AS s(id, n)
       CROSS JOIN generate_series($3::int, $4::int, $5::int) AS m,
       LATERAL (SELECT (100 + (m + s.n) % 50)::float8 AS total) AS t`,
      [chunk.map((r) => r.id), chunk.map((r) => r.n), first, NOW_MINUTE, STEP],
    );
    process.stderr.write(`\rseeded rollups for ${Math.min(i + 100, ids.length)}/${ids.length} SLOs`);
  }
  process.stderr.write("\n");
  await db.sql.exec(`ALTER TABLE slo_minute_rollups ADD CONSTRAINT slo_minute_rollups_pkey PRIMARY KEY (slo_id, minute);
    ALTER TABLE slo_minute_rollups ADD CONSTRAINT slo_minute_rollups_slo_id_fkey FOREIGN KEY (slo_id) REFERENCES slos(id) ON DELETE CASCADE ON UPDATE CASCADE;
    ANALYZE slo_minute_rollups; ANALYZE slos`);
  return Number((await db.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM slo_minute_rollups"))[0]!.n);
}

/** The baseline: what any evaluation must at least read, as one GROUP BY with a FILTER per window. */
async function sqlAggregate(db: Database): Promise<number> {
  const sums = WINDOWS.map((w, i) => `sum(good) FILTER (WHERE minute > $1::int - ${w}) AS good_${i}, sum(total) FILTER (WHERE minute > $1::int - ${w}) AS total_${i}`);
  const rows = await db.sql.query(`SELECT slo_id, ${sums.join(", ")} FROM slo_minute_rollups WHERE minute > $1::int - $2::int AND minute <= $1::int GROUP BY slo_id`, [NOW_MINUTE, Math.max(...WINDOWS)]);
  return rows.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { db, cleanup } = await openBenchDatabase(BACKEND, "slo-eval", POSTGRES_ADMIN_URL);
  try {
    await applyMigrations(db.sql);
    const seeded = await time(() => seed(db));
    console.log(`${BACKEND}: ${SLOS} SLOs, ${DAYS} days of rollups every ${STEP} min = ${seeded.value.toLocaleString("en")} rows, seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    const logger = createLogger({ level: "error", sink: () => undefined });
    const ticks: { ms: number; notifications: number }[] = [];
    for (let i = 0; i < TICKS; i++) {
      const tick = await time(() => evaluateAllSlos({ db, logger, now: NOW }));
      if (tick.value.evaluated !== SLOS) throw new Error(`evaluated ${tick.value.evaluated} of ${SLOS} SLOs`);
      ticks.push({ ms: tick.ms, notifications: tick.value.notifications });
      console.log(`tick ${i + 1}: ${tick.ms.toFixed(0)} ms (${(tick.ms / SLOS).toFixed(2)} ms per SLO), ${tick.value.notifications} notifications`);
    }
    const sql: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await time(() => sqlAggregate(db));
      if (run.value !== SLOS) throw new Error(`SQL aggregate returned ${run.value} SLOs`);
      sql.push(run.ms);
    }
    const tickMs = median(ticks.slice(1).map((t) => t.ms).concat(TICKS === 1 ? [ticks[0]!.ms] : []));
    const sqlMs = median(sql);
    console.log(`first tick (creates status and alert rows): ${ticks[0]!.ms.toFixed(0)} ms; steady tick (median): ${tickMs.toFixed(0)} ms`);
    console.log(`plain SQL aggregate over the same rollups (median of 3): ${sqlMs.toFixed(0)} ms; tick / SQL = ${(tickMs / sqlMs).toFixed(2)}×`);
    console.log(JSON.stringify({
      bench: "slo-eval", db: BACKEND, slos: SLOS, days: DAYS, stepMinutes: STEP, rollupRows: seeded.value, seedMs: Math.round(seeded.ms),
      firstTickMs: Math.round(ticks[0]!.ms), tickMs: Math.round(tickMs), msPerSlo: Number((tickMs / SLOS).toFixed(3)),
      sqlAggregateMs: Math.round(sqlMs), ratioToSql: Number((tickMs / sqlMs).toFixed(2)), firstTickNotifications: ticks[0]!.notifications,
    }));
  } finally {
    await cleanup();
  }
}

await main();
