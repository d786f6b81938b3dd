// Table tests for the Alertmanager v4 and Tailguard JSON bodies built from an SLO alert event.
import { describe, expect, it } from "vitest";
import { SloDefinition } from "../../slo/core/definition";
import { alertEventToWebhookEvent, sloSnapshot } from "./alert-events";
import { labelsFingerprint, ZERO_TIME, type AlertmanagerPayload } from "./alertmanager-payload";
import { renderWebhookBody } from "./render";
import type { TailguardPayload } from "./tailguard-payload";

const definition = SloDefinition.parse({
  name: "api-availability",
  service: "api",
  sli: { kind: "availability", selector: { service: "api" } },
  objectivePercent: "99.9",
  window: { type: "rolling", durationDays: 30 },
  labels: { team: "core" },
});
const snapshot = sloSnapshot({
  definition,
  budgetRemainingRatio: 0.25,
  burnWindows: [{ windowMinutes: 5, burnRate: 20 }, { windowMinutes: 60, burnRate: 18.5 }],
  forecast: { exhaustedAt: new Date("2026-11-20T14:00:00Z"), minutesUntilExhausted: 120 },
});
const firedAt = new Date("2026-11-20T12:00:00Z");
const firing = alertEventToWebhookEvent({ id: 42n, sloName: "api-availability", key: "burnRate:page", type: "firing", severity: "page", at: firedAt, firedAt, summary: "burn rate 20× over 60m" }, definition, snapshot);
const resolvedAt = new Date("2026-11-20T13:00:00Z");
const resolved = alertEventToWebhookEvent({ id: 43n, sloName: "api-availability", key: "burnRate:page", type: "resolved", severity: "page", at: resolvedAt, firedAt, summary: "burn rate back" }, definition, snapshot);
const render = (event = firing, format: "alertmanager" | "tailguard" = "alertmanager") => JSON.parse(renderWebhookBody({ event, format, receiver: "pager", externalUrl: "https://tg.example.com/" }));

describe("Alertmanager v4 body", () => {
  const body = render() as AlertmanagerPayload;
  it("has the fields Alertmanager receivers read", () => {
    expect(body).toMatchObject({ version: "4", status: "firing", receiver: "pager", externalURL: "https://tg.example.com", truncatedAlerts: 0 });
    expect(body.groupKey).toBe('{}:{alertname="SLOBurnRate", slo="api-availability"}');
    expect(body.groupLabels).toEqual({ alertname: "SLOBurnRate", slo: "api-availability" });
  });
  it("labels the alert with alertname, severity, slo and service", () => {
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]?.labels).toEqual({ alertname: "SLOBurnRate", severity: "page", slo: "api-availability", service: "api", team: "core", alert_key: "burnRate:page" });
    expect(body.commonLabels).toEqual(body.alerts[0]?.labels);
    expect(body.alerts[0]?.annotations.summary).toBe("api-availability: burn rate 20× over 60m");
  });
  it("firing alerts end at Alertmanager's zero time; resolved ones when they resolved", () => {
    expect(body.alerts[0]).toMatchObject({ startsAt: "2026-11-20T12:00:00.000Z", endsAt: ZERO_TIME, generatorURL: "https://tg.example.com/slos/api-availability" });
    const r = render(resolved) as AlertmanagerPayload;
    expect(r.status).toBe("resolved");
    expect(r.alerts[0]).toMatchObject({ status: "resolved", endsAt: "2026-11-20T13:00:00.000Z" });
  });
  it("keeps the fingerprint of the same alert between firing and resolved", () => {
    expect(body.alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((render(resolved) as AlertmanagerPayload).alerts[0]?.fingerprint).toBe(body.alerts[0]?.fingerprint);
    expect(labelsFingerprint({ b: "1", a: "2" })).toBe(labelsFingerprint({ a: "2", b: "1" }));
  });
  it("adds the slo object: objective, window, burn rates, budget, forecast, links", () => {
    expect(body.slo).toEqual({
      name: "api-availability",
      displayName: null,
      service: "api",
      objectivePercent: "99.9",
      window: "30d rolling",
      burnRates: [{ windowMinutes: 5, burnRate: 20 }, { windowMinutes: 60, burnRate: 18.5 }],
      budgetRemainingRatio: 0.25,
      exhaustionForecast: { exhaustedAt: "2026-11-20T14:00:00.000Z", minutesUntilExhausted: 120 },
      links: { console: "https://tg.example.com/slos/api-availability" },
    });
  });
});

describe("Tailguard JSON body", () => {
  it("carries the event with absolute links", () => {
    const body = render(firing, "tailguard") as TailguardPayload;
    expect(body).toMatchObject({ schema: "tailguard.webhook.v1", type: "slo.alert.firing", eventKey: "alert_event:42", status: "firing", service: "api", severity: "page" });
    expect(body.links.console).toBe("https://tg.example.com/slos/api-availability");
    expect(body.slo?.budgetRemainingRatio).toBe(0.25);
  });
  it("renders the same bytes every time (signatures stay valid across retries)", () => {
    expect(renderWebhookBody({ event: firing, format: "tailguard", receiver: "x", externalUrl: "http://a" })).toBe(renderWebhookBody({ event: firing, format: "tailguard", receiver: "x", externalUrl: "http://a" }));
  });
});
