// The `tailguard` CLI: `tailguard apply -f slos/` applies OpenSLO YAML files to a Tailguard
// server idempotently, showing the diff before any change. Server and token come from
// TAILGUARD_URL (default http://localhost:3000) and TAILGUARD_TOKEN (a token with the write scope).
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { appendFile } from "node:fs/promises";
import { type ApiResult, type CallInput, createApiClient, type OperationId, type ResponseOf } from "../lib/api/client/api-client";
import { gateExitCode, gateLines, gateMarkdown } from "../lib/gate/core/cli-summary";
import { formatDiff, hasChanges } from "../lib/slo/core/format-diff";

const USAGE = `usage: tailguard apply -f <file-or-directory> [-f …] [--dry-run] [--prune]
       tailguard gate --service <name> [--service …] [--version V] [--policy P] [--strict]
                      [--baseline <version>|auto [--window-minutes N]]   (a canary verdict: V against the baseline)
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

/** The typed API client on TAILGUARD_URL with TAILGUARD_TOKEN; a refusal becomes a CliError listing each field problem. */
async function call<K extends OperationId>(operation: K, input: CallInput<K> = {} as CallInput<K>): Promise<ResponseOf<K>> {
  const base = process.env.TAILGUARD_URL ?? "http://localhost:3000";
  const client = createApiClient({ baseUrl: base, token: process.env.TAILGUARD_TOKEN });
  // For a generic K, TypeScript cannot tell whether the input is optional; `input` is CallInput<K> either way.
  const r = await (client as (op: K, input: CallInput<K>) => Promise<ApiResult<ResponseOf<K>>>)(operation, input);
  if (r.ok) return r.data;
  if (r.status === 0) throw new CliError(`cannot reach Tailguard at ${base}: ${r.message.replace(/^network error: /, "")}`);
  const details = r.details.map((d) => `\n  ${d.documentIndex === undefined ? "" : `document ${d.documentIndex}: `}${d.field ?? d.path ?? ""}: ${d.message ?? ""}`).join("");
  throw new CliError(`${r.status}: ${r.message}${details}`);
}

async function apply(files: string[], opts: { dryRun: boolean; prune: boolean }): Promise<void> {
  if (files.length === 0) throw new CliError("no -f given\n" + USAGE);
  const paths = (await Promise.all(files.map(yamlFiles))).flat();
  if (paths.length === 0) throw new CliError("no .yaml or .yml files found");
  const yaml = (await Promise.all(paths.map((p) => readFile(p, "utf8")))).join("\n---\n");
  console.error(`read ${paths.length} file(s)`);
  const plan = await call("applySlos", { body: { yaml, dryRun: true, prune: opts.prune } });
  for (const line of formatDiff(plan.diff, opts)) console.log(line);
  if (opts.dryRun || !hasChanges(plan.diff, opts)) return;
  await call("applySlos", { body: { yaml, dryRun: false, prune: opts.prune } });
  console.log("applied");
}

/** Asks the release gate; the exit code carries the decision, and GitHub Actions gets a summary table. */
async function gate(opts: { services: string[]; version?: string; policy?: string; strict: boolean; baseline?: string; windowMinutes?: string }): Promise<number> {
  const body = { services: opts.services, version: opts.version, policy: opts.policy, ...canaryBody(opts) };
  // One key per run attempt and request: a retried step replays its decision, a second gate in the same run
  // (another version or policy) is a new question. The server binds a key to its body, so they must not share one.
  const fingerprint = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32);
  const idempotencyKey = process.env.GITHUB_RUN_ID ? `gh-${process.env.GITHUB_RUN_ID}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}-${fingerprint}` : undefined;
  const result = await call("evaluateGate", { body, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });
  for (const line of gateLines(result)) console.log(line);
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, gateMarkdown(result));
  return gateExitCode(result.decision, { strict: opts.strict });
}

/** `--baseline auto` asks the server for the previous majority version (`baseline: {}`); `--window-minutes` ends now. */
function canaryBody(opts: { baseline?: string; windowMinutes?: string }): { baseline?: { version?: string }; window?: { from: string } } {
  if (opts.baseline === undefined) {
    if (opts.windowMinutes !== undefined) throw new CliError("--window-minutes needs --baseline");
    return {};
  }
  const baseline = opts.baseline === "auto" ? {} : { version: opts.baseline };
  if (opts.windowMinutes === undefined) return { baseline };
  const minutes = Number(opts.windowMinutes);
  if (!Number.isInteger(minutes) || minutes <= 0) throw new CliError(`--window-minutes must be a whole number of minutes, not ${opts.windowMinutes}`);
  // Whole minutes: a step retried within the same minute sends the same body, so it replays its decision.
  const from = new Date(Math.floor(Date.now() / 60_000) * 60_000 - minutes * 60_000).toISOString();
  return { baseline, window: { from } };
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
      baseline: { type: "string" },
      "window-minutes": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command] = positionals;
  if (values.help || !command) return void console.log(USAGE);
  if (command === "apply") return apply(values.file ?? [], { dryRun: values["dry-run"] ?? false, prune: values.prune ?? false });
  if (command === "gate") {
    process.exitCode = await gate({ services: values.service ?? [], version: values.version, policy: values.policy, strict: values.strict ?? false, baseline: values.baseline, windowMinutes: values["window-minutes"] });
    return;
  }
  if (command === "export") return void process.stdout.write(await call("exportSlos"));
  throw new CliError(`unknown command ${command}\n${USAGE}`);
}

main().catch((err: unknown) => {
  console.error(`tailguard: ${err instanceof CliError ? err.message : (err as Error).stack}`);
  process.exit(1);
});
