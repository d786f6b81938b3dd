// How `tailguard gate` reports a decision: terminal lines, a GitHub step-summary table, an exit code.
import type { GateResult } from "./result-view";

/** pass → 0; warn → 0, or 1 with strict; fail → 1; inconclusive → 2 (fail closed, but tell it apart). */
export function gateExitCode(decision: GateResult["decision"], opts: { strict: boolean }): number {
  if (decision === "pass") return 0;
  if (decision === "warn") return opts.strict ? 1 : 0;
  return decision === "fail" ? 1 : 2;
}

export function gateLines(r: GateResult): string[] {
  const head = `release gate: ${r.decision.toUpperCase()}${r.services.length ? ` for ${r.services.join(", ")}` : ""}${r.version ? ` ${r.version}` : ""} (policy ${r.policy}${r.evaluationId ? `, evaluation ${r.evaluationId}` : ""})`;
  return [head, ...r.reasons.map((x) => `  [${x.level}] ${x.message}`)];
}

const ICON: Record<string, string> = { pass: "✅", warn: "⚠️", inconclusive: "❔", fail: "❌", info: "ℹ️" };

export function gateMarkdown(r: GateResult): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `### ${ICON[r.decision] ?? ""} Tailguard release gate: ${r.decision}`,
    "",
    `Services: ${r.services.join(", ") || "all"} · version: ${r.version ?? "–"} · policy: ${r.policy}`,
    "",
    "| level | subject | reason |",
    "|---|---|---|",
    ...r.reasons.map((x) => `| ${ICON[x.level] ?? ""} ${x.level} | ${cell(x.subject.name)} | ${cell(x.message)} |`),
    "",
  ].join("\n");
}
