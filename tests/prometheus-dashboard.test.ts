// Every query of the Grafana SLO dashboard parses (promtool checks it as a rule) and reads only series that the
// generated rules, Prometheus's ALERTS or Tailguard's own /metrics produce.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRulesToYaml, generateRuleFile } from "../lib/slo/core/alert-rules";
import { createMetrics } from "../lib/observability/metrics";
import { definitionsFromFiles } from "../scripts/alerts";
import { PROMTOOL, promtool } from "./helpers/prometheus";

const ROOT = path.resolve(import.meta.dirname, "..");
type Panel = { title: string; datasource?: { uid?: string }; targets?: { expr: string }[] };
type Dashboard = { panels: Panel[]; templating: { list: { name: string; query: unknown; definition?: string }[] } };

const dashboard = JSON.parse(await readFile(path.join(ROOT, "dashboards/slo-overview.json"), "utf8")) as Dashboard;
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Grafana variables replaced by what they expand to, so promtool sees plain PromQL. */
const expand = (expr: string) => expr.replaceAll("$slo", ".+");

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan"]);

/** Metric names a PromQL expression reads: identifiers left after removing strings, matchers, ranges, grouping labels and function calls. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length)) && !/[0-9.]$/.test(stripped.slice(0, m.index)))
    .map((m) => m[0])
    .filter((n) => !KEYWORDS.has(n.toLowerCase()));
  return [...new Set(names)];
}

async function producedNames(): Promise<Set<string>> {
  const rules = generateRuleFile(await definitionsFromFiles(path.join(ROOT, "examples/slos")));
  const recorded = rules.groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : [])));
  const own = (await createMetrics().registry.getMetricsAsJSON()).flatMap((m) => [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]);
  return new Set([...recorded, ...own, "ALERTS", "ALERTS_FOR_STATE"]);
}

describe("dashboards/slo-overview.json", () => {
  it("has a slo template variable and panels for error ratio, burn rate per window and budget remaining", () => {
    const slo = dashboard.templating.list.find((v) => v.name === "slo");
    expect(slo?.definition).toBe("label_values(slo:objective:ratio, slo)");
    const all = queries.map((q) => q.expr).join("\n");
    for (const name of ["slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate3d", "slo:error_budget:ratio", "slo:period_error_budget_remaining:ratio"]) expect(all).toContain(name);
    for (const q of queries) expect(q.expr, q.panel).toContain('slo=~"$slo"');
    for (const p of dashboard.panels) expect(p.datasource?.uid, p.title).toBe("${datasource}");
  });

  it("reads only series the generated rules, ALERTS or Tailguard's /metrics produce", async () => {
    const produced = await producedNames();
    for (const q of queries) {
      const names = metricNames(q.expr);
      expect(names.length, q.expr).toBeGreaterThan(0);
      for (const name of names) expect(produced.has(name), `${q.panel}: ${name} is produced by nothing`).toBe(true);
    }
    expect(metricNames('sum by (slo) (rate(foo_total{a="b"}[5m])) / on (slo) group_left bar:ratio')).toEqual(["foo_total", "bar:ratio"]);
  });

  it.skipIf(!PROMTOOL)("every query parses as PromQL", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tg-dashboard-"));
    try {
      const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: expand(q.expr) }));
      const file = path.join(dir, "dashboard-queries.yaml");
      await writeFile(file, alertRulesToYaml({ groups: [{ name: "dashboard", rules: rules.map((r) => ({ ...r, labels: {} })) }] }));
      const result = await promtool(["check", "rules", file]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("is provisioned from a file provider", async () => {
    const provisioning = parse(await readFile(path.join(ROOT, "dashboards/provisioning/dashboards.yaml"), "utf8")) as { providers: { type: string; options: { path: string } }[] };
    expect(provisioning.providers[0]).toMatchObject({ type: "file", options: { path: expect.stringMatching(/^\//) } });
  });
});
