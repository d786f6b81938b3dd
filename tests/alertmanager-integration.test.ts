// Real Prometheus and Alertmanager (Debian binaries) run the committed alerts/ configurations, rewritten only
// for ports, targets and timings, against the sample system in this process with its GPUs slowed 50×: the
// growing backlog pages and the saturated workers file a ticket, each at the webhook of its severity's receiver;
// the sample-system dashboard's queries run on the same Prometheus and show data.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startSampleSystem, type SampleSystemHandle } from "../sample-system/index";
import { amtool, InMemoryAlertReceiver, locateAlertmanagerBinary, startAlertmanager, type RunningAlertmanager } from "./helpers/alertmanager";
import { freePort, locateBinary, startPrometheus, type RunningPrometheus } from "./helpers/prometheus";
import { grafanaExprToPromQL } from "./helpers/promql";

const ROOT = path.resolve(import.meta.dirname, "..");
const PROMETHEUS = locateBinary("prometheus");
const ALERTMANAGER = locateAlertmanagerBinary("alertmanager");
const AMTOOL = locateAlertmanagerBinary("amtool");

type Route = { receiver?: string; matchers?: string[]; group_wait?: string; group_interval?: string; routes?: Route[] };
type AlertmanagerConfig = { route: Route; receivers: { name: string; webhook_configs?: { url: string }[] }[] };
type PrometheusConfig = {
  global: Record<string, string>;
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
};
type RuleFile = { groups: { rules: { alert?: string; for?: string }[] }[] };

const readYaml = async <T,>(file: string) => parse(await readFile(path.join(ROOT, "alerts", file), "utf8")) as T;

/** The committed Alertmanager config with webhooks on `receiverUrl` (same paths) and one-second grouping. */
function alertmanagerForTest(config: AlertmanagerConfig, receiverUrl: string): AlertmanagerConfig {
  const fast = (route: Route): Route => ({ ...route, group_wait: "1s", group_interval: "1s", routes: route.routes?.map(fast) });
  return {
    ...config,
    route: fast(config.route),
    receivers: config.receivers.map((r) => ({ ...r, webhook_configs: r.webhook_configs?.map((w) => ({ ...w, url: receiverUrl + new URL(w.url).pathname })) })),
  };
}

/** The committed Prometheus config, evaluating every second, with rule files from `ruleDir` and local targets. */
function prometheusForTest(config: PrometheusConfig, options: { ruleDir: string; alertmanager: string; targets: Record<string, string> }): PrometheusConfig {
  return {
    ...config,
    global: { ...config.global, scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: config.rule_files.map((f) => path.join(options.ruleDir, f)),
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] },
    scrape_configs: config.scrape_configs.map((s) => {
      const target = options.targets[s.job_name];
      if (!target) throw new Error(`no test target for scrape job ${s.job_name}`);
      return { ...s, static_configs: [{ targets: [target] }] };
    }),
  };
}

/** The receiver name and webhook path Alertmanager routes `severity` to, read from the committed config. */
function routeFor(config: AlertmanagerConfig, severity: string): { receiver: string; path: string } {
  const receiver = config.route.routes?.find((r) => r.matchers?.includes(`severity="${severity}"`))?.receiver;
  const url = config.receivers.find((r) => r.name === receiver)?.webhook_configs?.[0]?.url;
  if (!receiver || !url) throw new Error(`alertmanager.example.yml routes no webhook for severity=${severity}`);
  return { receiver, path: new URL(url).pathname };
}

/** Posts jobs at a fixed rate until stopped: open loop, so a slowed system meets the same arrivals. */
function offerJobs(apiUrl: string, ratePerS: number): () => Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  let n = 0;
  const timer = setInterval(() => {
    const body = JSON.stringify({ prompt: `alerting test ${n++}` });
    const sent = fetch(`${apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json", "x-client-id": "alerting-test" }, body }).then((r) => r.arrayBuffer(), () => undefined);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  }, 1000 / ratePerS);
  return async () => {
    clearInterval(timer);
    await Promise.all(inFlight);
  };
}

/** What Prometheus and Alertmanager saw, for a failure message. */
async function diagnostics(prometheus: RunningPrometheus, alertmanager: RunningAlertmanager): Promise<string> {
  const get = (url: string) => fetch(url).then((r) => r.text(), (e: Error) => e.message);
  const [targets, alerts, amAlerts] = await Promise.all([get(`${prometheus.url}/api/v1/targets?state=active`), get(`${prometheus.url}/api/v1/alerts`), get(`${alertmanager.url}/api/v2/alerts`)]);
  return `prometheus targets: ${targets}\nprometheus alerts: ${alerts}\nalertmanager alerts: ${amAlerts}\nprometheus log: ${prometheus.log()}\nalertmanager log: ${alertmanager.log()}`;
}

describe.skipIf(!AMTOOL)("alerts/alertmanager.example.yml", () => {
  it("passes amtool check-config", async () => {
    const result = await amtool(AMTOOL!, ["check-config", path.join(ROOT, "alerts/alertmanager.example.yml")]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("2 receivers");
  });
});

describe.skipIf(!PROMETHEUS || !ALERTMANAGER)("sample-system alerts through Prometheus and Alertmanager", () => {
  let dir = "";
  let receiver: InMemoryAlertReceiver | undefined;
  let alertmanager: RunningAlertmanager | undefined;
  let sample: SampleSystemHandle | undefined;
  let prometheus: RunningPrometheus | undefined;
  let amConfig: AlertmanagerConfig;
  let stopLoad: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tg-alerting-"));
    await mkdir(path.join(dir, "rules"));
    receiver = await InMemoryAlertReceiver.start();
    amConfig = await readYaml<AlertmanagerConfig>("alertmanager.example.yml");
    await writeFile(path.join(dir, "alertmanager.yml"), stringify(alertmanagerForTest(amConfig, receiver.url)));
    alertmanager = await startAlertmanager({ binary: ALERTMANAGER!, configFile: path.join(dir, "alertmanager.yml"), dataDir: path.join(dir, "alertmanager-data") });

    // Inference 50× slower (the gpu-slowdown fault, held): 4 GPU slots serve under 1 job/s while 20/s arrive,
    // so the backlog grows and every slot stays busy from the first seconds.
    sample = await startSampleSystem({
      env: {},
      mode: "async",
      apiPort: 0,
      metricsPort: 0,
      otlpEndpoint: null,
      workers: 2,
      gpuSlotsPerWorker: 2,
      artifactsDir: path.join(dir, "artifacts"),
    });
    sample.setKnobs({ serviceTimeFactor: 50 });
    stopLoad = offerJobs(sample.apiUrl, 20);

    const promConfig = await readYaml<PrometheusConfig>("prometheus.example.yml");
    for (const file of promConfig.rule_files) {
      // Same expressions and thresholds; only `for:` shrinks so a test need not wait ten minutes.
      const rules = await readYaml<RuleFile>(file);
      for (const rule of rules.groups.flatMap((g) => g.rules)) if (rule.alert && rule.for) rule.for = "1s";
      await writeFile(path.join(dir, "rules", file), stringify(rules));
    }
    const config = prometheusForTest(promConfig, {
      ruleDir: path.join(dir, "rules"),
      alertmanager: new URL(alertmanager.url).host,
      // No Tailguard runs here: its target is a closed port (its SLO rules then record nothing).
      targets: { "sample-system": new URL(sample.metricsUrl!).host, tailguard: `127.0.0.1:${await freePort()}` },
    });
    await writeFile(path.join(dir, "prometheus.yml"), stringify(config));
    prometheus = await startPrometheus({ binary: PROMETHEUS!, configFile: path.join(dir, "prometheus.yml"), dataDir: path.join(dir, "prometheus-data") });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await stopLoad?.();
    await sample?.stop();
    await alertmanager?.stop();
    await receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("Prometheus loads every rule file of the example config without errors", async () => {
    const body = (await (await fetch(`${prometheus!.url}/api/v1/rules`)).json()) as { data: { groups: { file: string; rules: { name: string; lastError?: string }[] }[] } };
    expect(new Set(body.data.groups.map((g) => path.basename(g.file)))).toEqual(new Set(["slo-rules.yaml", "sample-system-rules.yaml"]));
    const errors = body.data.groups.flatMap((g) => g.rules.filter((r) => r.lastError).map((r) => `${r.name}: ${r.lastError}`));
    expect(errors).toEqual([]);
  });

  it("pages the growing backlog and tickets the saturated workers, each at its severity's receiver", async () => {
    const page = routeFor(amConfig, "page");
    const ticket = routeFor(amConfig, "ticket");
    expect(page.path).not.toBe(ticket.path);

    const arrived = (alertname: string, at: string, timeoutMs: number) =>
      receiver!.waitFor(() => receiver!.firingAt(at).find((a) => a.alert.labels.alertname === alertname), timeoutMs, `${alertname} at ${at}`).catch(async (err: Error) => {
        throw new Error(`${err.message}\n${await diagnostics(prometheus!, alertmanager!)}`);
      });

    const paged = await arrived("SampleQueueBacklogGrowing", page.path, 60_000);
    expect(paged.notification).toMatchObject({ version: "4", status: "firing", receiver: page.receiver, groupLabels: { alertname: "SampleQueueBacklogGrowing" } });
    expect(paged.alert.labels).toEqual({ alertname: "SampleQueueBacklogGrowing", severity: "page", job: "sample-system", messaging_destination_name: "jobs" });
    expect(paged.alert.annotations.summary).toMatch(/^Queue jobs: \d+ messages waiting and growing$/);
    expect(paged.alert.generatorURL).toContain(`:${new URL(prometheus!.url).port}/graph?`);

    // The ticket arrives while the page fires: the page-silences-ticket inhibition is for one SLO only.
    const ticketed = await arrived("SampleWorkersSaturated", ticket.path, 30_000);
    expect(ticketed.notification).toMatchObject({ version: "4", status: "firing", receiver: ticket.receiver });
    expect(ticketed.alert.labels).toEqual({ alertname: "SampleWorkersSaturated", severity: "ticket", job: "sample-system" });

    // Nothing crossed over: every alert at a receiver carries that receiver's severity.
    expect(receiver!.firingAt(page.path).filter((a) => a.alert.labels.severity !== "page")).toEqual([]);
    expect(receiver!.firingAt(ticket.path).filter((a) => a.alert.labels.severity !== "ticket")).toEqual([]);
  }, 90_000);

  it("shows data in every sample-system dashboard panel this run exercises, and no query errors", async () => {
    type Panel = { title: string; targets?: { refId: string; expr: string }[]; panels?: Panel[] };
    const board = JSON.parse(await readFile(path.join(ROOT, "dashboards/sample-system.json"), "utf8")) as { panels: Panel[] };
    const panels = (list: Panel[]): Panel[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
    const query = async (expr: string) => {
      const res = await fetch(`${prometheus!.url}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query: grafanaExprToPromQL(expr) }) });
      return (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
    };
    // Completed jobs take a few service times: wait for the first before reading their panels.
    const deadline = Date.now() + 30_000;
    while (((await query("sum(sample_job_completion_duration_seconds_count)")).data?.result.length ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));

    const outcomes = await Promise.all(
      panels(board.panels).flatMap((p) =>
        (p.targets ?? []).map(async (t) => {
          const body = await query(t.expr);
          return { where: `"${p.title}" ${t.refId}`, error: body.error, series: body.data?.result.length ?? 0 };
        }),
      ),
    );
    expect(outcomes.filter((o) => o.error).map((o) => `${o.where}: ${o.error}`)).toEqual([]);
    // This run has no cache (mode async), refuses nothing and never times out a pool acquisition.
    const empty = outcomes.filter((o) => o.series === 0).map((o) => o.where);
    expect(empty.filter((w) => !/^"(Cache hit ratio|Cache lookups \/ s by result|Requests refused before any work|Callers waiting and acquisition timeouts)"/.test(w))).toEqual([]);
    expect(outcomes.length - empty.length).toBeGreaterThan(30);
  }, 60_000);
});
