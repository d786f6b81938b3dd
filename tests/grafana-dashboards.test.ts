// Every Grafana dashboard in dashboards/ is ready to provision, every panel and variable query parses as
// PromQL (promtool), and every metric it reads is exported by a running Tailguard server and sample system
// (the sample system sending its OTLP to that server), recorded by a rule in alerts/, or made by Prometheus.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startSampleSystem, type SampleSystemHandle } from "../sample-system/index";
import { PROMTOOL, promtool } from "./helpers/prometheus";
import { exportedMetricNames, grafanaExprToPromQL, metricNamesInPromQL, templateVariableExpr } from "./helpers/promql";
import { startTailguardServer, type RunningTailguard } from "./helpers/tailguard-server";

const ROOT = path.resolve(import.meta.dirname, "..");
type Target = { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } };
type Panel = { id: number; type: string; title: string; datasource?: { type?: string; uid?: string }; targets?: Target[]; panels?: Panel[] };
type Variable = { name: string; type: string; query: unknown; definition?: string; datasource?: { type?: string; uid?: string } };
type Dashboard = { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: Variable[] } };
type Query = { where: string; expr: string };

const files = (await readdir(path.join(ROOT, "dashboards"))).filter((f) => f.endsWith(".json")).sort();
const dashboards = await Promise.all(files.map(async (file) => ({ file, board: JSON.parse(await readFile(path.join(ROOT, "dashboards", file), "utf8")) as Dashboard })));
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** Every PromQL query of a dashboard: panel targets and query variables, with where it sits. */
function queriesOf(file: string, board: Dashboard): Query[] {
  const targets = allPanels(board.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} panel "${p.title}" ${t.refId ?? ""}`, expr: t.expr ?? "" })));
  const variables = board.templating.list
    .filter((v) => v.type === "query")
    .map((v) => ({ where: `${file} variable $${v.name}`, expr: templateVariableExpr(v.definition ?? String((v.query as { query?: string })?.query ?? v.query)) ?? `unreadable variable query: ${v.definition}` }));
  return [...targets, ...variables];
}
const queries = dashboards.flatMap(({ file, board }) => queriesOf(file, board));

/** Rule files the example Prometheus configuration loads, with what they record and what they read. */
async function ruleFiles(): Promise<{ file: string; rules: { name: string; expr: string; record?: string }[] }[]> {
  const config = parse(await readFile(path.join(ROOT, "alerts/prometheus.example.yml"), "utf8")) as { rule_files: string[] };
  return Promise.all(
    config.rule_files.map(async (file) => {
      const doc = parse(await readFile(path.join(ROOT, "alerts", file), "utf8")) as { groups: { rules: { record?: string; alert?: string; expr: string }[] }[] };
      return { file, rules: doc.groups.flatMap((g) => g.rules.map((r) => ({ name: r.record ?? r.alert ?? "?", expr: r.expr, record: r.record }))) };
    }),
  );
}

/** Series Prometheus makes itself that the dashboards read. */
const PROMETHEUS_OWN = ["ALERTS", "ALERTS_FOR_STATE", "up"];

/** Each query's metric names that nothing produces, as `where: name` lines; a query naming no metric at all is listed too. */
function unknownMetrics(list: Query[], produced: Set<string>, options: { requireMetric: boolean }): string[] {
  return list.flatMap((q) => {
    const names = metricNamesInPromQL(grafanaExprToPromQL(q.expr));
    if (options.requireMetric && names.length === 0) return [`${q.where}: reads no metric (${q.expr})`];
    return names.filter((n) => !produced.has(n)).map((n) => `${q.where}: ${n}`);
  });
}

describe("Grafana dashboards in dashboards/", () => {
  it("are the three expected, with unique uids, schemaVersion ≥ 39 and every query on the ${datasource} Prometheus variable", () => {
    expect(files).toEqual(["sample-system.json", "slo-overview.json", "tailguard-health.json"]);
    expect(new Set(dashboards.map((d) => d.board.uid)).size).toBe(dashboards.length);
    for (const { file, board } of dashboards) {
      expect(board.schemaVersion, file).toBeGreaterThanOrEqual(39);
      expect(board.templating.list.find((v) => v.name === "datasource"), file).toMatchObject({ type: "datasource", query: "prometheus" });
      const panels = allPanels(board.panels).filter((p) => p.type !== "row");
      expect(new Set(allPanels(board.panels).map((p) => p.id)).size, `${file}: panel ids`).toBe(allPanels(board.panels).length);
      for (const p of panels) {
        expect(p.datasource, `${file} "${p.title}"`).toEqual({ type: "prometheus", uid: "${datasource}" });
        expect(p.targets?.length, `${file} "${p.title}" has no query`).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.expr?.trim(), `${file} "${p.title}" ${t.refId}`).toBeTruthy();
      }
      for (const v of board.templating.list.filter((x) => x.type === "query")) expect(v.datasource?.uid, `${file} $${v.name}`).toBe("${datasource}");
    }
    expect(queries.length).toBeGreaterThan(60);
  });

  it("come with provisioning for the dashboards folder and a Prometheus data source", async () => {
    const datasources = parse(await readFile(path.join(ROOT, "dashboards/provisioning/datasources.yaml"), "utf8")) as { apiVersion: number; datasources: { type: string; url: string; jsonData?: { timeInterval?: string } }[] };
    const prometheusConfig = parse(await readFile(path.join(ROOT, "alerts/prometheus.example.yml"), "utf8")) as { global: { scrape_interval: string } };
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources[0]).toMatchObject({ type: "prometheus", url: expect.stringMatching(/^https?:\/\//) });
    // $__rate_interval is derived from the data source's scrape interval: it must match Prometheus's.
    expect(datasources.datasources[0]?.jsonData?.timeInterval).toBe(prometheusConfig.global.scrape_interval);
  });

  it("reads metric names, not functions, labels, durations or Grafana variables", () => {
    const table: [string, string[]][] = [
      ['histogram_quantile(0.95, sum by (http_route, le) (rate(http_server_request_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))', ["http_server_request_duration_seconds_bucket"]],
      ["time() - max(tailguard_engine_last_tick_timestamp_seconds) offset 5m", ["tailguard_engine_last_tick_timestamp_seconds"]],
      ['(sum(rate(a_total{x="y"}[1m])) or sum(rate(b_total[1m])) * 0) / on (slo) group_left slo:ratio', ["a_total", "b_total", "slo:ratio"]],
      ['sum(x) without (instance) > bool 1e3 and deriv(y[5m:1m]) > 0 unless z{__name__!="q"}', ["x", "y", "z"]],
    ];
    for (const [expr, names] of table) expect(metricNamesInPromQL(grafanaExprToPromQL(expr)), expr).toEqual(names);
    expect(grafanaExprToPromQL('rate(x{a=~"$route", b="${queue:regex}"}[$__rate_interval])')).toBe('rate(x{a=~".+", b=".+"}[1m])');
    expect(templateVariableExpr('label_values(sample_queue_depth{job=~"$job"}, messaging_destination_name)')).toBe('sample_queue_depth{job=~"$job"}');
  });

  it.skipIf(!PROMTOOL)("every panel and variable query parses as PromQL, and a broken one does not", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tg-grafana-"));
    try {
      const file = path.join(dir, "dashboard-queries.yaml");
      const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: grafanaExprToPromQL(q.expr) }));
      await writeFile(file, stringify({ groups: [{ name: "dashboards", rules }] }));
      const result = await promtool(["check", "rules", file]);
      // promtool names the failing expression; map its index back to the panel.
      const failing = [...result.output.matchAll(/query_(\d+)/g)].map((m) => queries[Number(m[1])]?.where);
      expect(result.code, `${result.output}\n${failing.join("\n")}`).toBe(0);
      expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);

      await writeFile(file, stringify({ groups: [{ name: "broken", rules: [{ record: "dashboard:broken", expr: grafanaExprToPromQL('sum by (le (rate(x_bucket[$__rate_interval]))') }] }] }));
      expect((await promtool(["check", "rules", file])).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("dashboards and alert rules against a running Tailguard and sample system", () => {
  let tailguard: RunningTailguard | undefined;
  let sample: SampleSystemHandle | undefined;
  let dir = "";
  let exported = new Set<string>();
  let recorded = new Set<string>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tg-grafana-live-"));
    tailguard = await startTailguardServer();
    sample = await startSampleSystem({
      env: {},
      mode: "async+cache",
      apiPort: 0,
      metricsPort: 0,
      otlpEndpoint: tailguard.otlpHttpUrl,
      metricExportIntervalMs: 1000,
      artifactsDir: path.join(dir, "artifacts"),
      serviceTime: { distribution: "fixed", ms: 20 },
      load: { ratePerS: 20, groundTruthPath: path.join(dir, "ground-truth.json") },
    });
    // Both /metrics show traffic once the sample system has answered requests and exported OTLP to Tailguard.
    const deadline = Date.now() + 30_000;
    let tailguardText = "";
    let sampleText = "";
    for (;;) {
      [tailguardText, sampleText] = await Promise.all([fetch(`${tailguard.webUrl}/metrics`).then((r) => r.text()), fetch(sample.metricsUrl!).then((r) => r.text())]);
      const ingested = /^tailguard_otlp_requests_total\{[^}]*signal="metrics"[^}]*code="200"[^}]*\} [1-9]/m.test(tailguardText);
      const served = /^sample_queue_acks_total\{[^}]*sample_outcome="succeeded"[^}]*\} [1-9]/m.test(sampleText);
      if (ingested && served) break;
      if (Date.now() > deadline) throw new Error(`no traffic on both /metrics after 30 s (ingested by Tailguard: ${ingested}, jobs done: ${served})\n${tailguard.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    exported = new Set([...exportedMetricNames(tailguardText), ...exportedMetricNames(sampleText)]);
    recorded = new Set((await ruleFiles()).flatMap((f) => f.rules.flatMap((r) => (r.record ? [r.record] : []))));
  }, 150_000);

  afterAll(async () => {
    await sample?.stop();
    await tailguard?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("scrapes both: Tailguard's own metrics and every kind the sample system exports", () => {
    for (const name of ["tailguard_otlp_requests_total", "tailguard_engine_tick_duration_seconds_bucket", "tailguard_webhook_attempts_total", "tailguard_http_request_duration_seconds_count", "tailguard_process_cpu_seconds_total"]) expect(exported, name).toContain(name);
    for (const name of ["http_server_request_duration_seconds_bucket", "sample_queue_depth", "messaging_client_consumed_messages_total", "hw_gpu_utilization_ratio", "db_client_connection_wait_time_seconds_bucket", "sample_cache_requests_total"]) expect(exported, name).toContain(name);
    expect(recorded).toContain("slo:sli_error:ratio_rate5m");
  });

  it("every dashboard query reads only exported metrics, recorded rules or Prometheus's own series", () => {
    const produced = new Set([...exported, ...recorded, ...PROMETHEUS_OWN]);
    expect(unknownMetrics(queries, produced, { requireMetric: true }), "metrics nothing exports").toEqual([]);
  });

  it("every rule in the rule files of alerts/prometheus.example.yml reads only exported metrics", async () => {
    const produced = new Set([...exported, ...recorded, "up"]);
    const rules = (await ruleFiles()).flatMap((f) => f.rules.map((r) => ({ where: `${f.file} ${r.name}`, expr: r.expr })));
    expect(rules.length).toBeGreaterThan(60);
    expect(unknownMetrics(rules, produced, { requireMetric: false }), "metrics nothing exports").toEqual([]);
  });

  it("and would name a query that reads a metric nobody exports", () => {
    const produced = new Set([...exported, ...recorded, ...PROMETHEUS_OWN]);
    const typos: Query[] = [
      { where: "typo.json panel A", expr: 'sum(rate(tailguard_otlp_request_total{job=~"$job"}[$__rate_interval]))' },
      { where: "typo.json panel B", expr: "sample_queue_depth / sample_queue_capacity" },
      { where: "typo.json panel C", expr: "vector(1)" },
    ];
    expect(unknownMetrics(typos, produced, { requireMetric: true })).toEqual(["typo.json panel A: tailguard_otlp_request_total", "typo.json panel B: sample_queue_capacity", "typo.json panel C: reads no metric (vector(1))"]);
  });
});
