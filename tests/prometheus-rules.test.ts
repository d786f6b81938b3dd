// The generated Prometheus rules, the committed rule file and the example configs pass promtool's own checks.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRulesToYaml, generateRuleFile } from "../lib/slo/core/alert-rules";
import { parseSloDefinition, type SloDefinitionInput } from "../lib/slo/core/definition";
import { definitionsFromFiles, ruleFileText } from "../scripts/alerts";
import { PROMTOOL, promtool } from "./helpers/prometheus";

const ROOT = path.resolve(import.meta.dirname, "..");
const selector: SpanSelectorInput = { service: "sample-api", route: "/v1/jobs", spanKind: "server", attributes: [{ key: "http.request.method", op: "=~", value: "POST|PUT" }] };
type SpanSelectorInput = Extract<SloDefinitionInput["sli"], { kind: "latency" }>["selector"];
const SLIS: Record<string, SloDefinitionInput["sli"]> = {
  availability: { kind: "availability", selector },
  latency: { kind: "latency", selector, thresholdMs: 300 },
  "job-completion": { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 },
  "queue-wait": { kind: "queueWait", destination: "jobs", thresholdMs: 5_000 },
  "metric-ratio": {
    kind: "metricRatio",
    good: { metric: "http.server.request.duration_count", matchers: [{ key: "http.response.status_code", op: "!~", value: "5.." }] },
    total: { metric: "http.server.request.duration_count", matchers: [] },
  },
};
const WINDOWS: SloDefinitionInput["window"][] = [
  { type: "rolling", durationDays: 7 },
  { type: "rolling", durationDays: 28 },
  { type: "rolling", durationDays: 30 },
  { type: "calendarMonth" },
];

function everyKind() {
  return Object.entries(SLIS).flatMap(([kind, sli]) =>
    WINDOWS.map((window, i) => {
      const parsed = parseSloDefinition({ name: `${kind}-${i}`, service: "sample-api", sli, objectivePercent: ["99", "99.9", "99.95", "99.99"][i], window, alertPolicy: { forMinutes: i } });
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.definition;
    }),
  );
}

describe.skipIf(!PROMTOOL)("promtool accepts the generated rules", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tg-rules-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("for every SLI kind, window and objective", async () => {
    const definitions = everyKind();
    const file = path.join(dir, "every-kind.yaml");
    await writeFile(file, alertRulesToYaml(generateRuleFile(definitions)));
    const result = await promtool(["check", "rules", file]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
    // Per SLO: 9 ratio windows at most (7 standard + period; a 7d period adds one), 2 event rates, 6 meta, 3 alerts.
    expect(Number(/SUCCESS: (\d+) rules found/.exec(result.output)?.[1])).toBeGreaterThanOrEqual(definitions.length * 18);
  });

  it("for the committed alerts/slo-rules.yaml, which is up to date with examples/slos", async () => {
    const committed = await readFile(path.join(ROOT, "alerts/slo-rules.yaml"), "utf8");
    expect(committed).toBe(ruleFileText(await definitionsFromFiles(path.join(ROOT, "examples/slos")), "examples/slos"));
    const result = await promtool(["check", "rules", path.join(ROOT, "alerts/slo-rules.yaml")]);
    expect(result.code, result.output).toBe(0);
  });

  it("and rejects a broken rule, so the checks above mean something", async () => {
    const file = path.join(dir, "broken.yaml");
    await writeFile(file, "groups:\n  - name: broken\n    rules:\n      - record: slo:broken\n        expr: sum(rate(x[5m])\n");
    expect((await promtool(["check", "rules", file])).code).not.toBe(0);
  });

  it("promtool check config passes on alerts/prometheus.example.yml with its rule files", async () => {
    const result = await promtool(["check", "config", "prometheus.example.yml"], { cwd: path.join(ROOT, "alerts") });
    expect(result.code, result.output).toBe(0);
    // slo-rules.yaml and sample-system-rules.yaml; promtool checks each rule file the config loads.
    expect(result.output).toContain("2 rule files found");
  });
});

describe("alerts/alertmanager.example.yml", () => {
  it("routes page and ticket to two different webhook receivers", async () => {
    const config = parse(await readFile(path.join(ROOT, "alerts/alertmanager.example.yml"), "utf8")) as {
      route: { receiver: string; routes: { matchers: string[]; receiver: string }[] };
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
    };
    const receiverFor = (severity: string) => config.route.routes.find((r) => r.matchers.includes(`severity="${severity}"`))?.receiver;
    const [page, ticket] = [receiverFor("page"), receiverFor("ticket")];
    expect(page && ticket && page !== ticket).toBe(true);
    for (const name of [page, ticket, config.route.receiver]) {
      const receiver = config.receivers.find((r) => r.name === name);
      expect(receiver?.webhook_configs?.[0]?.url).toMatch(/^http:\/\//);
    }
  });
});
