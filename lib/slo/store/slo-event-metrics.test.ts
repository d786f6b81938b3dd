import { describe, expect, it } from "vitest";
import { createMetrics } from "../../observability/metrics";
import { recordSloEvents } from "./slo-event-metrics";

const names = new Map([
  ["id-a", { name: "api-availability", service: "sample-api" }],
  ["id-b", { name: "job-completion", service: "sample-worker" }],
]);

/** A fresh registry and a reader of the counter's series as plain rows. */
function meter() {
  const m = createMetrics();
  return { m, read: async () => (await m.sloEvents.get()).values.map((v) => ({ ...v.labels, value: v.value })) };
}

describe("recordSloEvents", () => {
  it("adds good and bad events per SLO across minutes", async () => {
    const { m, read } = meter();
    recordSloEvents(m, [
      { sloId: "id-a", minute: 1, good: 98, total: 100 },
      { sloId: "id-a", minute: 2, good: 10, total: 10 },
      { sloId: "id-b", minute: 1, good: 3, total: 5 },
    ], names);
    expect(await read()).toEqual(expect.arrayContaining([
      { slo: "api-availability", service: "sample-api", outcome: "good", value: 108 },
      { slo: "api-availability", service: "sample-api", outcome: "bad", value: 2 },
      { slo: "job-completion", service: "sample-worker", outcome: "good", value: 3 },
      { slo: "job-completion", service: "sample-worker", outcome: "bad", value: 2 },
    ]));
    expect(await read()).toHaveLength(4);
  });

  it("exposes a bad series at 0 when every event was good, and accumulates over calls", async () => {
    const { m, read } = meter();
    recordSloEvents(m, [{ sloId: "id-a", minute: 1, good: 5, total: 5 }], names);
    recordSloEvents(m, [{ sloId: "id-a", minute: 2, good: 4, total: 5 }], names);
    expect(await read()).toEqual([
      { slo: "api-availability", service: "sample-api", outcome: "good", value: 9 },
      { slo: "api-availability", service: "sample-api", outcome: "bad", value: 1 },
    ]);
    expect(await m.registry.metrics()).toContain('tailguard_slo_events_total{slo="api-availability",service="sample-api",outcome="bad"} 1');
  });

  it("ignores unknown SLOs, empty contributions and good above total", async () => {
    const { m, read } = meter();
    recordSloEvents(m, [
      { sloId: "deleted", minute: 1, good: 1, total: 1 },
      { sloId: "id-b", minute: 1, good: 0, total: 0 },
      { sloId: "id-a", minute: 1, good: 7, total: 5 },
    ], names);
    expect(await read()).toEqual([
      { slo: "api-availability", service: "sample-api", outcome: "good", value: 5 },
      { slo: "api-availability", service: "sample-api", outcome: "bad", value: 0 },
    ]);
  });
});
