// Reads the per-signal telemetry retention from the validated configuration.
import type { Config } from "../../config/env";
import type { RetentionDays } from "./retention";

type RetentionSettings = Pick<Config, "TELEMETRY_RETENTION_SPANS_DAYS" | "TELEMETRY_RETENTION_LOGS_DAYS" | "TELEMETRY_RETENTION_METRICS_DAYS" | "TELEMETRY_RETENTION_ROLLUPS_DAYS">;

export function retentionFromConfig(config: RetentionSettings): RetentionDays {
  return {
    spans: config.TELEMETRY_RETENTION_SPANS_DAYS,
    logs: config.TELEMETRY_RETENTION_LOGS_DAYS,
    metrics: config.TELEMETRY_RETENTION_METRICS_DAYS,
    rollups: config.TELEMETRY_RETENTION_ROLLUPS_DAYS,
  };
}
