// Object-storage-like artifact store in a directory: one object per job, written atomically, so a
// redelivered job overwrites its own result instead of producing a second one. close() waits for
// the writes in progress and refuses new ones: once it resolved, nothing more lands in the directory.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

export class ArtifactStoreClosed extends Error {
  readonly kind = "stopped";
}

export class ArtifactStore {
  private readonly writes = new Set<Promise<unknown>>();
  private closed = false;
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Writes `content` as the job's result; returns its URI (file://…/jobs/<id>.json). */
  put(jobId: string, content: unknown, signal?: AbortSignal): Promise<{ uri: string; sizeBytes: number }> {
    if (this.closed || signal?.aborted) return Promise.reject(new ArtifactStoreClosed(`artifact store closed; ${jobId} not written`));
    const writing = this.write(jobId, content, signal);
    this.writes.add(writing);
    void writing.then(
      () => this.writes.delete(writing),
      () => this.writes.delete(writing),
    );
    return writing;
  }

  private async write(jobId: string, content: unknown, signal?: AbortSignal): Promise<{ uri: string; sizeBytes: number }> {
    const path = join(this.dir, `${jobId}.json`);
    const body = JSON.stringify(content);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(tmp, body, { signal });
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { uri: pathToFileURL(path).href, sizeBytes: Buffer.byteLength(body) };
  }

  async get(uri: string): Promise<unknown> {
    return JSON.parse(await readFile(fileURLToPath(uri), "utf8"));
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }
}
