import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineJob } from "../engine/catalog";
import { engineJobs } from "../engine/catalog";
import { startEngine } from "../engine/loop";
import { openDatabase, type Database } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrations";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { installTestApp } from "./helpers/app";
import { describeEachDatabase, postgresAvailable } from "./helpers/databases";
import { createPostgresDatabase } from "./helpers/postgres";

const quiet = createLogger({ level: "error", sink: () => undefined });

async function registerInstance(db: Database, id: string) {
  const now = new Date();
  await db.prisma.instance.create({ data: { id, role: "all", hostname: "test", pid: 1, version: "t", startedAt: now, lastSeenAt: now } });
}

function countingJob(name: string, runs: string[], instanceId: string): EngineJob {
  return { name, everyMs: 0, leaderOnly: true, run: async () => void runs.push(instanceId) };
}

describeEachDatabase("engine loop", ({ db }) => {
  it("leads, runs its jobs, records tick duration and heartbeats", async () => {
    await registerInstance(db(), "solo");
    const metrics = createMetrics();
    const runs: string[] = [];
    const engine = startEngine({ db: db(), logger: quiet, metrics, instanceId: "solo", intervalMs: 60_000, jobs: [...engineJobs, countingJob("count", runs, "solo")], mayLead: true, app: installTestApp(db()) });
    await engine.tickNow();
    await engine.tickNow();
    expect(engine.isLeader()).toBe(true);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const row = await db().prisma.instance.findUniqueOrThrow({ where: { id: "solo" } });
    expect(row.isLeader).toBe(true);
    expect(row.lastTickMs).not.toBeNull();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/tailguard_engine_tick_duration_seconds_count\{job="heartbeat",outcome="ok"\} [1-9]/);
    expect(text).toContain("tailguard_engine_leader 1");
    await engine.stop();
    expect(engine.isLeader()).toBe(false);
  });

  it("keeps running when one job fails, and counts the failure", async () => {
    await registerInstance(db(), "faulty");
    const metrics = createMetrics();
    const failing: EngineJob = { name: "explodes", everyMs: 0, leaderOnly: false, run: async () => Promise.reject(new Error("boom")) };
    const engine = startEngine({ db: db(), logger: quiet, metrics, instanceId: "faulty", intervalMs: 60_000, jobs: [failing, ...engineJobs], mayLead: false, app: installTestApp(db()) });
    await engine.tickNow();
    expect(await metrics.registry.metrics()).toContain('tailguard_engine_tick_duration_seconds_count{job="explodes",outcome="error"} 1');
    expect((await db().prisma.instance.findUniqueOrThrow({ where: { id: "faulty" } })).lastTickAt).not.toBeNull();
    await engine.stop();
  });
});

describe.skipIf(!postgresAvailable)("engine leadership across replicas on one PostgreSQL", () => {
  let target: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    target = await createPostgresDatabase("leader");
    a = await openDatabase({ databaseUrl: target.url, dataDir: "" });
    b = await openDatabase({ databaseUrl: target.url, dataDir: "" });
    await applyMigrations(a.sql);
    await registerInstance(a, "replica-a");
    await registerInstance(a, "replica-b");
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await target.drop();
  });

  it("elects exactly one leader, and hands over when it stops", async () => {
    const runs: string[] = [];
    const ea = startEngine({ db: a, logger: quiet, metrics: createMetrics(), instanceId: "replica-a", intervalMs: 60_000, jobs: [countingJob("count", runs, "a")], mayLead: true, app: installTestApp(a) });
    await ea.tickNow();
    const eb = startEngine({ db: b, logger: quiet, metrics: createMetrics(), instanceId: "replica-b", intervalMs: 60_000, jobs: [countingJob("count", runs, "b")], mayLead: true, app: installTestApp(b) });
    await Promise.all([ea.tickNow(), eb.tickNow(), ea.tickNow(), eb.tickNow()]);
    expect([ea.isLeader(), eb.isLeader()]).toEqual([true, false]);
    expect(new Set(runs)).toEqual(new Set(["a"]));

    await ea.stop();
    await eb.tickNow();
    expect(eb.isLeader()).toBe(true);
    expect(runs.at(-1)).toBe("b");
    await eb.stop();
  });
});
