// Table tests for which endpoints receive which events.
import { describe, expect, it } from "vitest";
import { endpointWants } from "./events";

describe("endpointWants", () => {
  const all = ["slo.alert.firing", "slo.alert.resolved"];
  const rows: [string, { events: string[]; services: string[] }, { type: any; service: string | null }, boolean][] = [
    ["subscribed type, no service filter", { events: all, services: [] }, { type: "slo.alert.firing", service: "api" }, true],
    ["unsubscribed type", { events: ["slo.alert.firing"], services: [] }, { type: "slo.alert.resolved", service: "api" }, false],
    ["service in the filter", { events: all, services: ["api", "worker"] }, { type: "slo.alert.firing", service: "worker" }, true],
    ["service not in the filter", { events: all, services: ["api"] }, { type: "slo.alert.firing", service: "worker" }, false],
    ["event without a service passes a filter", { events: ["gate.failed"], services: ["api"] }, { type: "gate.failed", service: null }, true],
    ["no events subscribed", { events: [], services: [] }, { type: "signal.opened", service: "api" }, false],
    ["a test event always goes", { events: [], services: ["x"] }, { type: "webhook.test", service: "api" }, true],
  ];
  for (const [name, endpoint, event, expected] of rows) it(name, () => expect(endpointWants(endpoint, event)).toBe(expected));
});
