// The service map draws a small API → queue → worker → database system sent over OTLP, left to right, and links
// through to the service pages.
import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";
const TRACE = "7d0c1a55e2e0a11e2e0a11e2e0a11e2e";

type Attrs = Record<string, string | number>;
function span(spanId: string, parent: string, name: string, kind: number, offsetMs: number, durMs: number, attrs: Attrs) {
  const start = (BigInt(Date.now()) - 60_000n + BigInt(offsetMs)) * 1_000_000n;
  return {
    traceId: TRACE, spanId, parentSpanId: parent, name, kind,
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n),
    attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } })),
    status: { code: 0, message: "" },
  };
}
const resource = (service: string, spans: unknown[]) => ({ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ spans }] });
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "e2e-map-orders" };

test("the service map shows API → queue → worker → database from OTLP spans", async ({ loggedInPage: page, api, tailguard }) => {
  const r = await api.post(`${tailguard.otlpHttpURL}/v1/traces`, {
    data: {
      resourceSpans: [
        resource("e2e-map-api", [
          span("a000000000000001", "", "POST /orders", 2, 0, 30, { "http.route": "/orders", "http.response.status_code": 202 }),
          span("a000000000000002", "a000000000000001", "e2e-map-orders publish", 4, 5, 3, { ...queue, "messaging.operation.type": "send" }),
        ]),
        resource("e2e-map-worker", [
          span("b000000000000001", "a000000000000002", "e2e-map-orders process", 5, 40, 120, { ...queue, "messaging.operation.type": "process" }),
          span("b000000000000002", "b000000000000001", "INSERT orders", 3, 50, 8, { "db.system.name": "postgresql", "server.address": "e2e-map-db" }),
        ]),
      ],
    },
  });
  expect(r.status()).toBe(200);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Map", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Service map" })).toBeVisible();
  // The worker's neighbourhood holds the whole flow: its queue's publisher, the queue, the worker and its database.
  await page.getByLabel("Service", { exact: true }).selectOption("e2e-map-worker");
  await expect(page).toHaveURL(/service=e2e-map-worker/);

  const node = (id: string) => page.locator(`[data-testid="map-node"][data-node-id="${id}"]`);
  const edge = (id: string) => page.locator(`[data-testid="map-edge"][data-edge-id="${id}"]`);
  const ids = ["service:e2e-map-api", "queue:e2e-map-orders", "service:e2e-map-worker", "dependency:e2e-map-db"];
  for (const id of ids) await expect(node(id)).toBeVisible();
  await expect(page.getByTestId("map-node")).toHaveCount(4);
  for (const id of ["publish:service:e2e-map-api->queue:e2e-map-orders", "consume:queue:e2e-map-orders->service:e2e-map-worker", "call:service:e2e-map-worker->dependency:e2e-map-db"]) {
    await expect(edge(id)).toBeAttached();
  }
  await expect(node("queue:e2e-map-orders")).toContainText("in ");
  await expect(node("queue:e2e-map-orders")).toContainText("out ");

  // Left to right, as the work flows.
  const xs: number[] = [];
  for (const id of ids) xs.push((await node(id).boundingBox())!.x);
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  await expect(page.getByRole("region", { name: "Legend" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/service-map.png`, fullPage: true });
  await page.screenshot({ path: "docs/screenshots/service-map.png", fullPage: true });

  // A service node opens its page, and the page links back to its neighbourhood on the map.
  await node("service:e2e-map-api").click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-map-api" })).toBeVisible();
  await page.getByRole("link", { name: "Service map", exact: true }).click();
  await expect(page).toHaveURL(/\/map\?service=e2e-map-api/);
  await expect(node("queue:e2e-map-orders")).toBeVisible();
  await expect(page.getByTestId("map-node")).toHaveCount(3);
});
