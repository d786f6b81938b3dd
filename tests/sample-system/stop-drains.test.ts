// After the sample system's stop() resolves nothing more is written to its artifacts directory, so
// a caller can remove it at once (`npm run bench:sample` failed with ENOTEMPTY): work still running
// after its request timed out is waited for or aborted, never left behind.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSampleSystem } from "../../sample-system/index";

const SERVICE_MS = 3_000; // longer than the API's 2 s drain: a sync inference in progress must be aborted
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const post = (apiUrl: string, i: number) =>
  fetch(`${apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: `a lighthouse #${i}` }) }).then((r) => r.status);

describe("stopping the sample system", () => {
  it.each(["sync", "async"] as const)("%s mode: nothing lands in the artifacts directory once stop() resolved", { timeout: 60_000 }, async (mode) => {
    const artifactsDir = await mkdtemp(join(tmpdir(), "tg-sample-stop-"));
    dirs.push(artifactsDir);
    const system = await startSampleSystem({
      env: {},
      mode,
      apiPort: 0,
      metricsPort: null,
      otlpEndpoint: null,
      artifactsDir,
      workers: 1,
      gpuSlotsPerWorker: 2,
      serviceTime: { distribution: "fixed", ms: SERVICE_MS },
      syncRequestTimeoutMs: 200,
      rateLimit: { ratePerS: 1_000, burst: 1_000 },
    });
    // Sync: every request answers 504 after 200 ms while two inferences go on. Async: 202, two run.
    const statuses = await Promise.all(Array.from({ length: 6 }, (_, i) => post(system.apiUrl, i)));
    expect(new Set(statuses)).toEqual(new Set([mode === "sync" ? 504 : 202]));
    await new Promise((resolve) => setTimeout(resolve, 300));

    await system.stop();
    const atStop = await readdir(artifactsDir);
    await new Promise((resolve) => setTimeout(resolve, SERVICE_MS + 500)); // past the end of any inference left running
    expect(await readdir(artifactsDir)).toEqual(atStop);
    await rm(artifactsDir, { recursive: true }); // what the bench does next
  });
});
