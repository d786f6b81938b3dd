// The collector config cannot be run here (no otelcol binary), so its structure is checked:
// every referenced component is defined, each pipeline is well formed, and the exporter matches
// what Tailguard's receiver expects.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../lib/config/env";

type Config = {
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, { endpoint?: string; headers?: Record<string, string>; retry_on_failure?: { enabled?: boolean } }>;
  extensions: Record<string, unknown>;
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
};

const config = parse(readFileSync("collector/otel-collector.yaml", "utf8")) as Config;
const tailguardDefaults = loadConfig({});

describe("collector/otel-collector.yaml", () => {
  it("defines every component that a pipeline or the service references", () => {
    for (const [name, p] of Object.entries(config.service.pipelines)) {
      for (const r of p.receivers) expect(config.receivers, `${name} receiver ${r}`).toHaveProperty([r]);
      for (const x of p.processors) expect(config.processors, `${name} processor ${x}`).toHaveProperty([x]);
      for (const e of p.exporters) expect(config.exporters, `${name} exporter ${e}`).toHaveProperty([e]);
    }
    for (const ext of config.service.extensions) expect(config.extensions).toHaveProperty([ext]);
  });

  it("has traces, metrics and logs pipelines with memory_limiter first and batch last", () => {
    expect(Object.keys(config.service.pipelines).sort()).toEqual(["logs", "metrics", "traces"]);
    for (const p of Object.values(config.service.pipelines)) {
      expect(p.processors[0]).toBe("memory_limiter");
      expect(p.processors.at(-1)).toBe("batch");
    }
  });

  it("tail-samples traces keeping errors, slow traces and failed or retried jobs", () => {
    expect(config.service.pipelines.traces?.processors).toContain("tail_sampling");
    const policies = (config.processors.tail_sampling as { policies: { type: string; string_attribute?: { key: string } }[] }).policies;
    expect(policies.map((p) => p.type)).toEqual(expect.arrayContaining(["status_code", "latency", "string_attribute", "probabilistic"]));
    expect(policies.find((p) => p.type === "string_attribute")?.string_attribute?.key).toBe("job.status");
  });

  it("exports OTLP/HTTP to Tailguard's default port with a bearer ingest token and retries", () => {
    const exporter = config.exporters["otlphttp/tailguard"];
    expect(exporter?.headers?.Authorization).toBe("Bearer ${env:TAILGUARD_INGEST_TOKEN}");
    expect(exporter?.retry_on_failure?.enabled).toBe(true);
    expect(tailguardDefaults.ok && tailguardDefaults.config.OTLP_HTTP_PORT).toBe(4318);
    expect(exporter?.endpoint).toBe("${env:TAILGUARD_OTLP_ENDPOINT}");
    expect(readFileSync("collector/otel-collector.yaml", "utf8")).toContain("http://tailguard-ingest:4318");
  });

  it("exposes the collector's health check", () => {
    expect(config.extensions.health_check).toEqual({ endpoint: "0.0.0.0:13133" });
  });
});
