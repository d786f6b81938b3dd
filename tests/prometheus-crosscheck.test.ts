// A real Prometheus, fed the same events as Tailguard (backfilled counter samples), computes the generated rules'
// error ratios; the burn rates must agree with Tailguard's burnRatesOverWindows within 1 %.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRuleFile, alertRulesToYaml, type RecordingRule } from "../lib/slo/core/alert-rules";
import { burnRatesOverWindows } from "../lib/slo/core/burn-rate";
import { definitionObjective, parseSloDefinition, type SloDefinition, type SloDefinitionInput } from "../lib/slo/core/definition";
import { errorBudgetRatio } from "../lib/slo/core/objective";
import { locateBinary, PROMTOOL, promtool, startPrometheus, instantQuery, type RunningPrometheus } from "./helpers/prometheus";
import { buildEventStream, type EventStream } from "./helpers/slo-event-stream";

const PROMETHEUS = locateBinary("prometheus");
/** Three and a half days of events, so the 1d, 3d and 28d windows differ. */
const MINUTES = 5040;
/** Minute indexes to query at: before any incident, in the 3 % incident, just after it, in the 20 % burst, in the slow burn, at the end. */
const QUERY_AT = [180, 230, 262, 390, 3000, 5040];

function slo(name: string, sli: SloDefinitionInput["sli"]): SloDefinition {
  const parsed = parseSloDefinition({ name, service: "sample-api", sli, objectivePercent: "99.9", window: { type: "rolling", durationDays: 28 } });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.definition;
}

// The span-based SLO reads tailguard_slo_events_total; the metricRatio one reads the same counter as "its own" metrics.
const SLOS = [
  slo("checkout-availability", { kind: "availability", selector: { service: "sample-api" } }),
  slo("checkout-ratio", {
    kind: "metricRatio",
    good: { metric: "tailguard_slo_events_total", matchers: [{ key: "slo", value: "checkout-availability" }, { key: "outcome", value: "good" }] },
    total: { metric: "tailguard_slo_events_total", matchers: [{ key: "slo", value: "checkout-availability" }] },
  }),
];

const windowMinutes = (w: string) => Number(w.slice(0, -1)) * { m: 1, h: 60, d: 1440 }[w.at(-1) as "m" | "h" | "d"];

describe.skipIf(!PROMTOOL || !PROMETHEUS)("Prometheus and Tailguard agree on burn rates", () => {
  let dir = "";
  let prometheus: RunningPrometheus | undefined;
  let stream: EventStream;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tg-crosscheck-"));
    // End an hour ago, whole minutes, so every sample is safely in the past of Prometheus's head.
    const firstMinute = Math.floor(Date.now() / 60_000) - 60 - MINUTES;
    stream = buildEventStream({ firstMinute, minutes: MINUTES, slo: "checkout-availability", service: "sample-api" });
    await writeFile(path.join(dir, "events.om"), stream.openMetrics);
    const blocks = await promtool(["tsdb", "create-blocks-from", "openmetrics", "events.om", "data"], { cwd: dir });
    if (blocks.code !== 0) throw new Error(`create-blocks-from failed:\n${blocks.output}`);
    await writeFile(path.join(dir, "rules.yaml"), alertRulesToYaml(generateRuleFile(SLOS)));
    await writeFile(path.join(dir, "prometheus.yml"), "global:\n  evaluation_interval: 1m\nrule_files:\n  - rules.yaml\n");
    prometheus = await startPrometheus({ binary: PROMETHEUS!, configFile: path.join(dir, "prometheus.yml"), dataDir: path.join(dir, "data") });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads the generated rule file without errors", async () => {
    const body = (await (await fetch(`${prometheus!.url}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { health: string; lastError?: string }[] }[] } };
    expect(body.data.groups).toHaveLength(SLOS.length * 3);
    for (const rule of body.data.groups.flatMap((g) => g.rules)) expect(rule.lastError ?? "", rule.health).toBe("");
  });

  it.each(SLOS.map((d) => [d.sli.kind, d] as const))("%s rules: every window, the 28-day period included, within 1 %", async (_kind, definition) => {
    const budget = errorBudgetRatio(definitionObjective(definition));
    const ratioRules = generateRuleFile([definition]).groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => "record" in r && r.record.startsWith("slo:sli_error:ratio_rate"));
    expect(ratioRules.map((r) => r.labels.window)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d", "28d"]);
    const rows: string[] = [];
    for (const index of QUERY_AT) {
      const atS = (stream.firstMinute + index) * 60;
      // Tailguard's windows end at the minute containing `now`; a millisecond before atS ends them exactly at atS.
      const tailguard = burnRatesOverWindows({ rollups: stream.rollups, objective: definitionObjective(definition), windowMinutes: ratioRules.map((r) => windowMinutes(r.labels.window!)), now: new Date(atS * 1000 - 1) });
      for (const rule of ratioRules) {
        const expected = tailguard.find((w) => w.windowMinutes === windowMinutes(rule.labels.window!))!.burnRate!;
        const result = await instantQuery(prometheus!.url, rule.expr, atS);
        expect(result, `${rule.record} at minute ${index}`).toHaveLength(1);
        const actual = result[0]!.value / budget;
        rows.push(`${index}\t${rule.labels.window}\ttailguard ${expected.toFixed(4)}\tprometheus ${actual.toFixed(4)}`);
        expect(Math.abs(actual - expected), `${rule.record} at minute ${index}: ${actual} vs ${expected}`).toBeLessThanOrEqual(0.01 * Math.max(expected, 0.01));
      }
    }
    if (process.env.CROSSCHECK_VERBOSE) console.log(rows.join("\n"));
    // The stream has to exercise the thresholds, or agreement proves little: some window pages, some stays quiet.
    const values = rows.map((r) => Number(r.split("tailguard ")[1]!.split("\t")[0]));
    expect(Math.max(...values)).toBeGreaterThan(14.4);
    expect(Math.min(...values)).toBeLessThan(1);
  });
});
