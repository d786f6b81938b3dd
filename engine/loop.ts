// The engine loop: every tick, hold or seek the leader lock (a PostgreSQL advisory lock, so
// exactly one replica leads), then run the due jobs of the catalog and record how long each took.
import type { Database } from "../lib/db/client";
import type { Logger } from "../lib/observability/logger";
import type { Metrics } from "../lib/observability/metrics";
import type { EngineAppContext, EngineJob } from "./catalog";

export const ENGINE_LEADER_LOCK = 7_141_002;

export type EngineHandle = { isLeader(): boolean; tickNow(): Promise<void>; stop(): Promise<void> };

export type EngineOptions = {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  instanceId: string;
  intervalMs: number;
  jobs: EngineJob[];
  app: EngineAppContext;
  /** Whether this replica may lead (role all or engine); others only run per-replica jobs. */
  mayLead: boolean;
  now?: () => Date;
};

export function startEngine(opts: EngineOptions): EngineHandle {
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: "engine" });
  const lastRun = new Map<string, number>();
  let lease: { release(): Promise<void>; alive(): Promise<boolean> } | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function holdLeadership(): Promise<void> {
    if (!opts.mayLead) return;
    if (lease && !(await lease.alive())) {
      log.warn("engine leadership lost (database connection dropped)");
      await lease.release().catch(() => undefined);
      lease = null;
    }
    if (!lease) {
      lease = await opts.db.sql.tryHoldLock(ENGINE_LEADER_LOCK);
      if (lease) log.info("engine leadership acquired", { instanceId: opts.instanceId });
    }
    opts.metrics.engineLeader.set(lease ? 1 : 0);
  }

  async function tick(): Promise<void> {
    const started = performance.now();
    try {
      await holdLeadership();
    } catch (err) {
      log.error("leader election failed", { err });
    }
    const t = now();
    for (const job of opts.jobs) {
      if (job.leaderOnly && !lease) continue;
      // Due once its interval has passed, give or take half a tick: timers drift by milliseconds, and a job due
      // every other tick must not slip to every third.
      if (t.getTime() - (lastRun.get(job.name) ?? 0) < job.everyMs - opts.intervalMs / 2) continue;
      const jobStarted = performance.now();
      let outcome = "ok";
      try {
        await job.run({ db: opts.db, logger: log.child({ job: job.name }), now: t, instanceId: opts.instanceId, isLeader: lease !== null, app: opts.app });
        lastRun.set(job.name, t.getTime());
      } catch (err) {
        outcome = "error";
        log.error("engine job failed", { job: job.name, err });
      }
      opts.metrics.engineTickDuration.observe({ job: job.name, outcome }, (performance.now() - jobStarted) / 1000);
    }
    const tickMs = performance.now() - started;
    opts.metrics.engineTickDuration.observe({ job: "tick", outcome: "ok" }, tickMs / 1000);
    opts.metrics.engineLastTick.set(Date.now() / 1000);
    await opts.db.prisma.instance
      .update({ where: { id: opts.instanceId }, data: { lastTickAt: t, lastTickMs: tickMs } })
      .catch((err: unknown) => log.warn("could not record tick", { err }));
  }

  function runTick(): Promise<void> {
    // Ticks never overlap: a slow tick delays the next one instead of stacking up.
    running ??= tick().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => {
    if (!stopped) void runTick();
  }, opts.intervalMs);
  timer.unref();
  void runTick();

  return {
    isLeader: () => lease !== null,
    tickNow: runTick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await lease?.release();
      lease = null;
      opts.metrics.engineLeader.set(0);
    },
  };
}
