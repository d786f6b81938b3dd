// How `tailguard gate` reports a decision: terminal lines, a GitHub step-summary table, an exit code.
import { formatCount, formatMs } from "../../signals/core/format";
import type { CanaryComparisonView, GateResult } from "./result-view";

/** pass → 0; warn → 0, or 1 with strict; fail → 1; inconclusive → 2 (fail closed, but tell it apart). */
export function gateExitCode(decision: GateResult["decision"], opts: { strict: boolean }): number {
  if (decision === "pass") return 0;
  if (decision === "warn") return opts.strict ? 1 : 0;
  return decision === "fail" ? 1 : 2;
}

type Side = CanaryComparisonView["candidate"];

/** Durations are judged on p95 (canary.ts), everything else on the bad-event ratio: show what was judged. */
function sideCell(c: CanaryComparisonView, side: Side): string {
  const capped = side.capped ? " (capped)" : "";
  if ((c.sli === "latency" || c.sli === "queueWait") && side.p95Ms !== null) {
    const ms = (v: number) => (v < 10 ? `${Number(v.toFixed(2))} ms` : formatMs(v));
    return `p95 ${ms(side.p95Ms)} of ${formatCount(side.events)}${capped}`;
  }
  if (side.ratio === null) return `no events${capped}`;
  return `${Number((side.ratio * 100).toPrecision(3))}% (${formatCount(side.badEvents)} of ${formatCount(side.events)})${capped}`;
}

const pCell = (p: number) => (p < 0.0001 ? "< 0.0001" : String(Number(p.toPrecision(2))));
const VERDICT_WORDS: Record<CanaryComparisonView["verdict"], string> = { worse: "worse", not_worse: "not worse", insufficient_data: "too little data" };

/** One row per compared SLO: slo, sli, candidate, baseline, p-value, verdict. */
export function canaryRows(r: GateResult): string[][] {
  return (r.comparisons ?? []).map((c) => [c.slo, c.sli, sideCell(c, c.candidate), sideCell(c, c.baseline), pCell(c.pValue), VERDICT_WORDS[c.verdict]]);
}

function canaryHead(r: GateResult): string | null {
  if (!r.canary) return null;
  const interval = r.canary.from && r.canary.to ? ` from ${r.canary.from} to ${r.canary.to}` : "";
  return `canary ${r.canary.candidateVersion} against ${r.canary.baselineVersion ?? "no baseline"}${interval}`;
}

const CANARY_HEADER = ["SLO", "SLI", "candidate", "baseline", "p", "verdict"];

export function gateLines(r: GateResult): string[] {
  const head = `release gate: ${r.decision.toUpperCase()}${r.services.length ? ` for ${r.services.join(", ")}` : ""}${r.version ? ` ${r.version}` : ""} (policy ${r.policy}${r.evaluationId ? `, evaluation ${r.evaluationId}` : ""})`;
  const lines = [head, ...r.reasons.map((x) => `  [${x.level}] ${x.message}`)];
  const canary = canaryHead(r);
  const rows = canaryRows(r);
  if (!canary) return lines;
  if (rows.length === 0) return [...lines, `  ${canary}: nothing compared`];
  const table = [CANARY_HEADER, ...rows];
  const widths = CANARY_HEADER.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
  return [...lines, `  ${canary}:`, ...table.map((row) => `    ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()}`)];
}

const ICON: Record<string, string> = { pass: "✅", warn: "⚠️", inconclusive: "❔", fail: "❌", info: "ℹ️" };
const VERDICT_ICON: Record<string, string> = { worse: "❌", "not worse": "✅", "too little data": "❔" };

const cell = (s: string) => s.replace(/\|/g, "\\|");

function canaryMarkdown(r: GateResult): string[] {
  const head = canaryHead(r);
  const rows = canaryRows(r);
  if (!head) return [];
  if (rows.length === 0) return [`**${cell(head)}**: nothing compared`, ""];
  return [
    `**${cell(head)}**`,
    "",
    `| ${CANARY_HEADER.join(" | ")} |`,
    `|${CANARY_HEADER.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map((c, i) => (i === row.length - 1 ? `${VERDICT_ICON[c] ?? ""} ${c}` : cell(c))).join(" | ")} |`),
    "",
  ];
}

export function gateMarkdown(r: GateResult): string {
  return [
    `### ${ICON[r.decision] ?? ""} Tailguard release gate: ${r.decision}`,
    "",
    `Services: ${r.services.join(", ") || "all"} · version: ${r.version ?? "–"} · policy: ${r.policy}`,
    "",
    ...canaryMarkdown(r),
    "| level | subject | reason |",
    "|---|---|---|",
    ...r.reasons.map((x) => `| ${ICON[x.level] ?? ""} ${x.level} | ${cell(x.subject.name)} | ${cell(x.message)} |`),
    "",
  ].join("\n");
}
