import { describe, expect, it } from "vitest";
import { createMetrics, routeLabel } from "./metrics";

describe("routeLabel", () => {
  it.each([
    ["/", "/"],
    ["/api/v1/tokens", "/api/v1/tokens"],
    ["/api/v1/tokens/0b6c2f0e-4a8e-4f73-9d5e-4b1f1c2d3e4f", "/api/v1/tokens/:id"],
    ["/api/v1/traces/5b8efff798038103d269b633813fc60c", "/api/v1/traces/:id"],
    ["/api/v1/jobs/123", "/api/v1/jobs/:id"],
    ["/_next/static/chunks/abc.js", "/_next/*"],
  ])("%s → %s", (path, label) => expect(routeLabel(path)).toBe(label));
});

describe("createMetrics", () => {
  it("exposes process, HTTP and engine metrics in Prometheus text format", async () => {
    const m = createMetrics();
    m.httpDuration.observe({ route: "/api/v1/tokens", method: "GET", status: "200" }, 0.02);
    m.engineTickDuration.observe({ job: "heartbeat", outcome: "ok" }, 0.003);
    const text = await m.registry.metrics();
    expect(text).toContain('tailguard_http_request_duration_seconds_bucket{le="0.025",route="/api/v1/tokens",method="GET",status="200"} 1');
    expect(text).toContain('tailguard_engine_tick_duration_seconds_count{job="heartbeat",outcome="ok"} 1');
    expect(text).toContain("tailguard_process_resident_memory_bytes");
  });
});
