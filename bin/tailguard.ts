// The `tailguard` CLI: `tailguard apply -f slos/` applies OpenSLO YAML files to a Tailguard
// server idempotently, showing the diff before any change. Server and token come from
// TAILGUARD_URL (default http://localhost:3000) and TAILGUARD_TOKEN (a token with the write scope).
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { appendFile } from "node:fs/promises";
import type { GateResult } from "../lib/gates/evaluate";
import { gateExitCode, gateLines, gateMarkdown } from "../lib/gates/cli-summary";
import { formatDiff, hasChanges, type DiffSummary } from "../lib/slos/format-diff";

const USAGE = `usage: tailguard apply -f <file-or-directory> [-f …] [--dry-run] [--prune]
       tailguard gate --service <name> [--service …] [--version V] [--policy P] [--strict]
       tailguard export > slos.yaml
environment: TAILGUARD_URL (default http://localhost:3000), TAILGUARD_TOKEN (API token)`;

async function yamlFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new CliError(`${target}: no such file or directory`);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const nested = await Promise.all(entries.sort((a, b) => a.name.localeCompare(b.name)).map((e) => (e.isDirectory() ? yamlFiles(path.join(target, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(target, e.name)] : [])));
  return nested.flat();
}

class CliError extends Error {}

async function call(method: string, apiPath: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const base = process.env.TAILGUARD_URL ?? "http://localhost:3000";
  const headers: Record<string, string> = { ...extraHeaders };
  if (process.env.TAILGUARD_TOKEN) headers.authorization = `Bearer ${process.env.TAILGUARD_TOKEN}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(new URL(apiPath, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).catch((err: Error) => {
    throw new CliError(`cannot reach Tailguard at ${base}: ${err.message}`);
  });
  if (!res.ok) {
    const json = (await res.json().catch(() => null)) as { error?: { message?: string; details?: { documentIndex?: number; field?: string; message?: string }[] } } | null;
    const details = (json?.error?.details ?? []).map((d) => `\n  ${d.documentIndex === undefined ? "" : `document ${d.documentIndex}: `}${d.field ?? ""}: ${d.message ?? ""}`).join("");
    throw new CliError(`${res.status}: ${json?.error?.message ?? res.statusText}${details}`);
  }
  return res;
}

async function apply(files: string[], opts: { dryRun: boolean; prune: boolean }): Promise<void> {
  if (files.length === 0) throw new CliError("no -f given\n" + USAGE);
  const paths = (await Promise.all(files.map(yamlFiles))).flat();
  if (paths.length === 0) throw new CliError("no .yaml or .yml files found");
  const yaml = (await Promise.all(paths.map((p) => readFile(p, "utf8")))).join("\n---\n");
  console.error(`read ${paths.length} file(s)`);
  const plan = (await (await call("POST", "/api/v1/slos/apply", { yaml, dryRun: true, prune: opts.prune })).json()) as { diff: DiffSummary };
  for (const line of formatDiff(plan.diff, opts)) console.log(line);
  if (opts.dryRun || !hasChanges(plan.diff, opts)) return;
  await call("POST", "/api/v1/slos/apply", { yaml, dryRun: false, prune: opts.prune });
  console.log("applied");
}

/** Asks the release gate; the exit code carries the decision, and GitHub Actions gets a summary table. */
async function gate(opts: { services: string[]; version?: string; policy?: string; strict: boolean }): Promise<number> {
  const body = { services: opts.services, version: opts.version, policy: opts.policy };
  // One key per run attempt and request: a retried step replays its decision, a second gate in the same run
  // (another version or policy) is a new question. The server binds a key to its body, so they must not share one.
  const fingerprint = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32);
  const idempotencyKey = process.env.GITHUB_RUN_ID ? `gh-${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}-${fingerprint}` : undefined;
  const res = await call("POST", "/api/v1/gates/evaluate", body, idempotencyKey ? { "idempotency-key": idempotencyKey } : {});
  const result = (await res.json()) as GateResult;
  for (const line of gateLines(result)) console.log(line);
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, gateMarkdown(result));
  return gateExitCode(result.decision, { strict: opts.strict });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f", multiple: true },
      "dry-run": { type: "boolean" },
      prune: { type: "boolean" },
      service: { type: "string", short: "s", multiple: true },
      version: { type: "string" },
      policy: { type: "string" },
      strict: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command] = positionals;
  if (values.help || !command) return void console.log(USAGE);
  if (command === "apply") return apply(values.file ?? [], { dryRun: values["dry-run"] ?? false, prune: values.prune ?? false });
  if (command === "gate") {
    process.exitCode = await gate({ services: values.service ?? [], version: values.version, policy: values.policy, strict: values.strict ?? false });
    return;
  }
  if (command === "export") return void process.stdout.write(await (await call("GET", "/api/v1/slos/export")).text());
  throw new CliError(`unknown command ${command}\n${USAGE}`);
}

main().catch((err: unknown) => {
  console.error(`tailguard: ${err instanceof CliError ? err.message : (err as Error).stack}`);
  process.exit(1);
});
