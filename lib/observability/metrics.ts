// The control plane's own Prometheus metrics (served on /metrics), in one registry per process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tailguard_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "tailguard_http_request_duration_seconds",
      help: "Console and API request duration by route template, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    engineTickDuration: new Histogram({
      name: "tailguard_engine_tick_duration_seconds",
      help: "Duration of each engine job run on the leader",
      labelNames: ["job", "outcome"] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    engineLeader: new Gauge({
      name: "tailguard_engine_leader",
      help: "1 while this replica holds the engine leadership",
      registers: [registry],
    }),
    engineLastTick: new Gauge({
      name: "tailguard_engine_last_tick_timestamp_seconds",
      help: "Unix time of the last completed engine tick on this replica",
      registers: [registry],
    }),
    authFailures: new Counter({
      name: "tailguard_auth_failures_total",
      help: "Rejected logins and API credentials by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    loginAttempts: new Counter({
      name: "tailguard_login_attempts_total",
      help: "Console login attempts by outcome (success, failure, throttled: refused unchecked while locked)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    loginLockouts: new Counter({
      name: "tailguard_login_lockouts_total",
      help: "Login locks started, by what was locked (account, address)",
      labelNames: ["scope"] as const,
      registers: [registry],
    }),
    otlpRequests: new Counter({
      name: "tailguard_otlp_requests_total",
      help: "OTLP export requests by signal, transport and response code",
      labelNames: ["signal", "transport", "code"] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: "tailguard_webhook_attempts_total",
      help: "Webhook delivery attempts by result (delivered, retry, dead)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    webhookAttemptDuration: new Histogram({
      name: "tailguard_webhook_attempt_duration_seconds",
      help: "Duration of webhook delivery attempts",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    // Span- and job-based SLIs exist only inside Tailguard; this counter lets Prometheus rules evaluate them too.
    sloEvents: new Counter({
      name: "tailguard_slo_events_total",
      help: "SLI events counted at ingest for span- and job-based SLOs, by SLO, service and outcome (good, bad)",
      labelNames: ["slo", "service", "outcome"] as const,
      registers: [registry],
    }),
  };
}
