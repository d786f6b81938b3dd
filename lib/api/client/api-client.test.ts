import { describe, expect, it } from "vitest";
import { createApiClient, operationUrl } from "./api-client";

type Sent = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** A fetch that records each request and answers with the next canned response. */
function recordingFetch(answers: Response[]) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    sent.push({ url: String(input), method: init.method ?? "GET", headers: init.headers as Record<string, string>, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) });
    const next = answers.shift();
    if (!next) throw new Error("connection refused");
    return next;
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

describe("operationUrl", () => {
  it.each([
    ["getSlo", { name: "checkout availability" }, {}, "/api/v1/slos/checkout%20availability"],
    ["getService", { name: "a/b" }, { from: "2026-01-01T00:00:00Z" }, "/api/v1/services/a%2Fb?from=2026-01-01T00%3A00%3A00Z"],
    ["listWebhookDeliveries", {}, { limit: 50, status: undefined }, "/api/v1/webhooks/deliveries?limit=50"],
    ["listJobs", {}, { service: "api", status: "failed" }, "/api/v1/jobs?service=api&status=failed"],
    ["redeliverWebhook", { id: "d-1" }, {}, "/api/v1/webhooks/deliveries/d-1/redeliver"],
    ["evaluateGate", {}, { mode: "status" }, "/api/v1/gates/evaluate?mode=status"],
  ] as const)("%s %j %j → %s", (op, params, query, url) => {
    expect(operationUrl(op, params, query)).toBe(url);
  });
});

describe("createApiClient", () => {
  it("sends the operation's method, path, JSON body, token and extra headers, and returns the JSON answer", async () => {
    const { sent, fetch } = recordingFetch([Response.json({ user: { id: "u1" } }, { status: 200 })]);
    const call = createApiClient({ baseUrl: "http://tailguard:3000", token: "tg_x", fetch });
    const r = await call("updateUser", { params: { id: "u1" }, body: { role: "viewer" }, headers: { "idempotency-key": "k" } });
    expect(r).toEqual({ ok: true, status: 200, data: { user: { id: "u1" } } });
    expect(sent).toEqual([{
      url: "http://tailguard:3000/api/v1/users/u1", method: "PATCH", body: { role: "viewer" },
      headers: { authorization: "Bearer tg_x", "content-type": "application/json", "idempotency-key": "k" },
    }]);
  });

  it("returns a text answer (OpenSLO YAML) as text", async () => {
    const { fetch } = recordingFetch([new Response("apiVersion: openslo/v1\n", { headers: { "content-type": "application/yaml" } })]);
    const r = await createApiClient({ fetch })("exportSlos");
    expect(r).toEqual({ ok: true, status: 200, data: "apiVersion: openslo/v1\n" });
  });

  it("keeps a refusal's code, message, request ID and field details (paths given as arrays are joined)", async () => {
    const error = {
      code: "invalid", message: "overrides.saturation.minBacklog: must be at least 0", requestId: "req-1",
      details: [{ path: "overrides.saturation.minBacklog", message: "must be at least 0" }, { documentIndex: 0, field: "spec.service", message: "service is required" }, { path: ["a", 0], message: "x" }, "junk"],
    };
    const { fetch } = recordingFetch([Response.json({ error }, { status: 400 })]);
    const r = await createApiClient({ fetch })("saveScopeThresholds", { body: { service: null, overrides: {} } });
    expect(r).toEqual({
      ok: false, status: 400, code: "invalid", message: error.message, requestId: "req-1",
      details: [{ path: "overrides.saturation.minBacklog", message: "must be at least 0" }, { documentIndex: 0, field: "spec.service", message: "service is required" }, { path: "a.0", message: "x" }],
    });
  });

  it("answers a refusal without a JSON body, and an unreachable server, with a message and no details", async () => {
    const { fetch } = recordingFetch([new Response("Bad Gateway", { status: 502, statusText: "Bad Gateway" })]);
    const call = createApiClient({ fetch });
    expect(await call("me")).toEqual({ ok: false, status: 502, code: "http_502", message: "request failed (502 Bad Gateway)", details: [] });
    expect(await call("me")).toEqual({ ok: false, status: 0, code: "network", message: "network error: connection refused", details: [] });
  });
});
