// Object-storage-like artifact store in a directory: one object per job, written atomically, so a
// redelivered job overwrites its own result instead of producing a second one.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

export class ArtifactStore {
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Writes `content` as the job's result; returns its URI (file://…/jobs/<id>.json). */
  async put(jobId: string, content: unknown): Promise<{ uri: string; sizeBytes: number }> {
    const path = join(this.dir, `${jobId}.json`);
    const body = JSON.stringify(content);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, path);
    return { uri: pathToFileURL(path).href, sizeBytes: Buffer.byteLength(body) };
  }

  async get(uri: string): Promise<unknown> {
    return JSON.parse(await readFile(fileURLToPath(uri), "utf8"));
  }
}
