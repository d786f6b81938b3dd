// Once ArtifactStore.close() resolved nothing more lands in its directory: writes in progress are
// waited for, later ones refused, and an aborted write leaves no temporary file behind.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ArtifactStore, ArtifactStoreClosed } from "./artifacts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function openStore(): Promise<{ store: ArtifactStore; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "tg-artifacts-"));
  dirs.push(dir);
  const store = new ArtifactStore(dir);
  await store.init();
  return { store, dir };
}

describe("ArtifactStore.close", () => {
  it("waits for the writes in progress", async () => {
    const { store, dir } = await openStore();
    const writes = Array.from({ length: 20 }, (_, i) => store.put(`job-${i}`, { image: "x".repeat(100_000) }));
    await store.close();
    expect((await readdir(dir)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `job-${i}.json`).sort());
    await expect(Promise.all(writes)).resolves.toHaveLength(20);
  });

  it("refuses writes after it was called", async () => {
    const { store, dir } = await openStore();
    await store.close();
    await expect(store.put("late", {})).rejects.toBeInstanceOf(ArtifactStoreClosed);
    expect(await readdir(dir)).toEqual([]);
  });

  it("writes nothing for an aborted put, not even a temporary file", async () => {
    const { store, dir } = await openStore();
    const stop = new AbortController();
    const writing = store.put("aborted", { image: "x".repeat(5_000_000) }, stop.signal);
    stop.abort();
    await expect(writing).rejects.toThrow();
    await store.close();
    expect(await readdir(dir)).toEqual([]);
  });
});
