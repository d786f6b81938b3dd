// The sample API's HTTP server turns every failure of a handler into a logged 500 with a JSON body
// and keeps serving; close() returns only once every handler has ended, even those whose request
// already timed out.
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startHttpServer, type HttpServerHandle, type Route } from "./http-server";
import { ClientRateLimiter } from "./token-bucket";

const servers: HttpServerHandle[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close({ drainMs: 0 });
  vi.restoreAllMocks();
});

async function serve(routes: Route[]): Promise<HttpServerHandle> {
  const handle = await startHttpServer(
    {
      routes: [...routes, { method: "GET", route: "/healthz", timeoutMs: 1_000, rateLimited: false, handle: async () => ({ status: 200, body: { status: "ok" } }) }],
      tracer: trace.getTracer("http-server-test"),
      rateLimiter: new ClientRateLimiter({ ratePerS: 1_000, burst: 1_000 }),
      maxBodyBytes: 64 * 1024,
      onRequest: () => undefined,
      onRejected: () => undefined,
      onActiveChange: () => undefined,
    },
    { host: "127.0.0.1", port: 0 },
  );
  servers.push(handle);
  return handle;
}

const route = (path: string, handle: Route["handle"], timeoutMs = 2_000): Route => ({ method: "GET", route: path, timeoutMs, rateLimited: false, handle });
const circular: Record<string, unknown> = {};
circular.self = circular;

describe("a handler that fails in an unexpected way", () => {
  // Each row: what the handler does; the answer is always 500 { error: { code: "internal" } }.
  const failures: Array<[string, Route["handle"]]> = [
    ["throws an Error", async () => Promise.reject(new Error("boom"))],
    ["throws null", async () => Promise.reject(null)],
    ["throws undefined", async () => Promise.reject(undefined)],
    ["throws a string", async () => Promise.reject("a string")],
    ["throws synchronously", () => {
      throw new TypeError("not even async");
    }],
    ["fails on a later tick", () => new Promise((_, reject) => setTimeout(() => reject(new RangeError("later")), 10))],
    ["answers a body JSON cannot hold", async () => ({ status: 200, body: circular })],
    ["answers a BigInt", async () => ({ status: 200, body: { n: 1n } })],
    ["answers an invalid header value", async () => ({ status: 200, body: {}, headers: { "x-bad": "a\r\nb" } })],
  ];

  it.each(failures)("%s: logs, answers 500 with a JSON reason and keeps serving", async (_, handle) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const server = await serve([route("/fails", handle)]);

    const res = await fetch(`${server.url}/fails`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("internal");
    expect(body.error.message).not.toMatch(/boom|later|at .*\.ts/); // no internals or stack
    expect(logged).toHaveBeenCalled();

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("close()", () => {
  it("waits for a handler still working after its timeout answered, and aborts it once the drain time is over", async () => {
    const events: string[] = [];
    const server = await serve([
      route(
        "/slow",
        async ({ shutdown }) => {
          // Keeps working past its 50 ms timeout, as a sync inference does, until the server stops.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 30_000);
            shutdown.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
          });
          await new Promise((resolve) => setTimeout(resolve, 100)); // cleaning up takes a moment
          events.push("handler ended");
          return { status: 200, body: {} };
        },
        50,
      ),
    ]);
    const res = await fetch(`${server.url}/slow`);
    expect(res.status).toBe(504);

    const startedMs = Date.now();
    await server.close({ drainMs: 200 });
    events.push("closed");
    expect(events).toEqual(["handler ended", "closed"]);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(200);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
  });

  it("lets a handler that ends within the drain time finish normally", async () => {
    let finished = false;
    const server = await serve([route("/short", async () => (await new Promise((r) => setTimeout(r, 150)), (finished = true), { status: 200, body: {} }), 20)]);
    expect((await fetch(`${server.url}/short`)).status).toBe(504);
    await server.close({ drainMs: 2_000 });
    expect(finished).toBe(true);
  });
});
