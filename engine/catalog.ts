// The engine's jobs: what runs, how often, and whether only the leader runs it. Later capabilities
// (SLO evaluation, detectors, webhook dispatch, telemetry retention) register here.
import type { Database } from "../lib/db/client";
import type { Logger } from "../lib/observability/logger";
import { evaluateAllSlos } from "../lib/slo/store/evaluate";
import { runPendingRebuild } from "../lib/slo/store/rebuild";
import { applyTelemetryRetention } from "../lib/telemetry/write/retention";
import type { AppContext } from "../lib/context/app-context";
import { retentionFromConfig } from "../lib/telemetry/write/retention-config";
import { evaluationEnd } from "../lib/signals/core/system";
import { stackThresholdLayers } from "../lib/signals/core/thresholds";
import { runDetection } from "../lib/signals/store/signals";
import { loadThresholdLayers } from "../lib/signals/store/thresholds";
import { dispatchDueWebhooks } from "../lib/webhooks/deliver/engine-job";
import { deleteExpiredIdempotencyKeys } from "../lib/api/http/idempotency-store";
import { deleteIdleLoginThrottles } from "../lib/auth/store/login-throttle";

/** The newest window end each database's detection judged (several engines share a process in tests). */
const lastDetectionWindow = new WeakMap<Database, number>();
/** The last complaint about saved thresholds that no longer validate, so it is logged once, not every pass. */
const lastThresholdError = new WeakMap<Database, string>();

/** What engine jobs may use of the process context: settings, metrics and the server key. */
export type EngineAppContext = Pick<AppContext, "config" | "metrics" | "sessionKey" | "logger">;

export type EngineJobContext = { db: Database; logger: Logger; now: Date; instanceId: string; isLeader: boolean; app: EngineAppContext };

export type EngineJob = {
  name: string;
  everyMs: number;
  leaderOnly: boolean;
  run(ctx: EngineJobContext): Promise<void>;
};

const STALE_INSTANCE_MS = 24 * 3_600_000;

export const engineJobs: EngineJob[] = [
  {
    name: "heartbeat",
    everyMs: 0, // every tick, on every replica
    leaderOnly: false,
    async run({ db, now, instanceId, isLeader }) {
      await db.prisma.instance.update({ where: { id: instanceId }, data: { lastSeenAt: now, isLeader } });
    },
  },
  {
    name: "slo.evaluate",
    everyMs: 15_000,
    leaderOnly: true,
    async run({ db, now, logger }) {
      const summary = await evaluateAllSlos({ db, logger, now });
      if (summary.notifications > 0) logger.info("SLO alerts changed", { ...summary });
    },
  },
  {
    name: "slo.rebuild",
    everyMs: 2_000,
    leaderOnly: true,
    async run({ db, now, logger, app }) {
      const rebuilt = await runPendingRebuild(db, { now, retention: retentionFromConfig(app.config) });
      if (rebuilt) logger.info("SLO rollups rebuilt from raw telemetry", { sloId: rebuilt });
    },
  },
  {
    name: "signals.detect",
    // Every tick: a new 10-s flow bucket closes every DETECTION_STEP_SECONDS (lib/signals/store/signals.ts), and a pass on each tick judges it
    // within one tick of its closing. A tick that would judge the same windows again is skipped.
    everyMs: 0,
    leaderOnly: true,
    async run({ db, now, logger, app }) {
      const windowEnd = evaluationEnd(now, app.config.TAILGUARD_DETECTION_LAG_SECONDS);
      if (lastDetectionWindow.get(db) === windowEnd) return;
      lastDetectionWindow.set(db, windowEnd);
      const started = performance.now();
      // Thresholds saved in the console apply from the next window on.
      const { layers, stored } = await loadThresholdLayers(db, app.config.TAILGUARD_DETECTION_THRESHOLDS);
      if (stored.error && lastThresholdError.get(db) !== stored.error) logger.warn("saved detection thresholds ignored: they no longer validate", { error: stored.error });
      if (stored.error) lastThresholdError.set(db, stored.error);
      else lastThresholdError.delete(db);
      const s = await runDetection(db, { now, lagSeconds: app.config.TAILGUARD_DETECTION_LAG_SECONDS, thresholds: stackThresholdLayers(layers) });
      const fields = { ...s, positive: s.positive.join(", "), ms: Math.round(performance.now() - started) };
      if (s.opened + s.resolved + s.updated > 0) logger.info("signals changed", fields);
      else logger.debug("detection pass", fields);
    },
  },
  {
    name: "webhooks.dispatch",
    everyMs: 1_000,
    leaderOnly: true,
    async run({ db, app }) {
      await dispatchDueWebhooks({ db, app });
    },
  },
  {
    name: "retention.control-plane",
    everyMs: 10 * 60_000,
    leaderOnly: true,
    async run({ db, now, logger }) {
      const sessions = await db.prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
      const instances = await db.prisma.instance.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - STALE_INSTANCE_MS) } } });
      const idempotencyKeys = await deleteExpiredIdempotencyKeys(db, now);
      const loginThrottles = await deleteIdleLoginThrottles(db, now);
      if (sessions.count + instances.count + idempotencyKeys + loginThrottles > 0) logger.info("retention removed rows", { sessions: sessions.count, instances: instances.count, idempotencyKeys, loginThrottles });
    },
  },
  {
    name: "retention.telemetry",
    everyMs: 10 * 60_000,
    leaderOnly: true,
    async run({ db, now, logger, app }) {
      const r = await applyTelemetryRetention(db.sql, { now, retention: retentionFromConfig(app.config) });
      if (r.droppedPartitions.length + r.deletedRollups + r.deletedMetricAggregates + r.deletedJobs + r.deletedFlowRollups > 0) logger.info("telemetry retention", { ...r });
    },
  },
];
