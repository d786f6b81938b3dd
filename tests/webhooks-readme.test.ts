// The README's webhook verification snippet, extracted and run against signatures Tailguard makes.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { newWebhookSecret, signWebhook } from "../lib/webhooks/core/signing";

type Verify = (headers: Headers, body: string, secret: string, nowS?: number) => boolean;
let verify: Verify;
let dir = "";

beforeAll(async () => {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Verifying a webhook"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("README has no TypeScript snippet under 'Verifying a webhook'");
  dir = await mkdtemp(path.join(path.dirname(new URL(import.meta.url).pathname), ".readme-"));
  const file = path.join(dir, "snippet.ts");
  await writeFile(file, code);
  verify = ((await import(/* @vite-ignore */ file)) as { verifyTailguardWebhook: Verify }).verifyTailguardWebhook;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it("accepts what the dispatcher signs and refuses tampering, other secrets and old timestamps", () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ version: "4", status: "firing" });
  const headers = new Headers(signWebhook({ id: "3f2c0c1e-5d7a-4c59-9f0e-6c1d2b3a4e5f", timestampS: 1_800_000_000, body, secret }));
  expect(verify(headers, body, secret, 1_800_000_000)).toBe(true);
  expect(verify(headers, body, secret, 1_800_000_300)).toBe(true);
  expect(verify(headers, body.replace("firing", "resolved"), secret, 1_800_000_000)).toBe(false);
  expect(verify(headers, body, newWebhookSecret(), 1_800_000_000)).toBe(false);
  expect(verify(headers, body, secret, 1_800_000_301)).toBe(false);
});
