import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics";

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
