// The engine's SQL-side window sums (lib/slo/store/rollup-sums.ts) give the core exactly the budget, burn rates and
// minutes-since-data it computes from every raw minute row, for each window type and budgeting method.
import { beforeAll, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { computeBudget } from "../lib/slo/core/budget";
import { evaluateBurnRates } from "../lib/slo/core/burn-rate";
import { definitionObjective, type SloDefinition } from "../lib/slo/core/definition";
import type { MinuteRollup } from "../lib/slo/core/series";
import { addSloContributions } from "../lib/telemetry/write/slo-rollups";
import { loadRollupSums } from "../lib/slo/store/rollup-sums";
import { createSlo } from "../lib/slo/store/slos";
import { describeEachDatabase } from "./helpers/databases";

const NOW = new Date("2026-11-20T12:00:30Z");
const NOW_MINUTE = Math.floor(NOW.getTime() / 60_000);

const INPUTS = [
  { name: "rolling-occurrences", sli: { kind: "availability", selector: { service: "api" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 30 } },
  {
    name: "calendar-custom-rules",
    sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 },
    objectivePercent: "99",
    window: { type: "calendarMonth" },
    alertPolicy: { burnRateRules: [{ severity: "page", longWindowMinutes: 90, shortWindowMinutes: 7, burnRate: 10 }] },
  },
  { name: "timeslices", sli: { kind: "latency", selector: { service: "api" }, thresholdMs: 300 }, objectivePercent: "99.5", window: { type: "rolling", durationDays: 7 }, budgeting: { method: "timeslices", sliceMinutes: 5, sliceThresholdRatio: 0.95 } },
  { name: "silent-for-a-week", sli: { kind: "availability", selector: { service: "api" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 28 } },
];

/** 35 days of uneven rows: sparse and gappy long ago, dense with incidents lately; the silent SLO stops 8 days ago. */
function rowsFor(index: number, name: string): MinuteRollup[] {
  const rows: MinuteRollup[] = [];
  for (let age = 35 * 1440; age >= 0; age--) {
    if (name === "silent-for-a-week" && age < 8 * 1440) break;
    if (age > 6 * 60 && (age + index) % 7 !== 0) continue;
    const total = 50 + ((age * 31 + index * 7) % 90);
    const incident = (age > 20 && age < 80) || (age > 3000 && age < 3400);
    const bad = incident ? Math.round(total * 0.08) : (age * 13 + index) % 11 === 0 ? 1 : 0;
    rows.push({ minuteUnix: (NOW_MINUTE - age) * 60, good: total - bad, total });
  }
  return rows;
}

describeEachDatabase("engine window sums from SQL", ({ db }) => {
  const slos: { id: string; definition: SloDefinition; rows: MinuteRollup[] }[] = [];

  beforeAll(async () => {
    for (const [index, input] of INPUTS.entries()) {
      const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { service: "api", ...input });
      const rows = rowsFor(index, input.name);
      await addSloContributions(db().sql, rows.map((r) => ({ sloId: slo.id, minute: r.minuteUnix / 60, good: r.good, total: r.total })));
      slos.push({ id: slo.id, definition: slo.definition, rows });
    }
  });

  it("match the core over every raw row", async () => {
    const sums = await loadRollupSums(db().sql, slos, NOW);
    for (const { id, definition, rows } of slos) {
      const objective = definitionObjective(definition);
      const common = { objective, window: definition.window, now: NOW };
      const fromSql = sums.get(id)!;
      expect(computeBudget({ ...common, rollups: fromSql.budgetRollups, budgeting: definition.budgeting }), definition.name).toEqual(
        computeBudget({ ...common, rollups: rows, budgeting: definition.budgeting }),
      );
      const burnFromSql = evaluateBurnRates({ ...common, rollups: fromSql.burnRollups, rules: definition.alertPolicy.burnRateRules });
      const burnFromRows = evaluateBurnRates({ ...common, rollups: rows, rules: definition.alertPolicy.burnRateRules });
      expect(burnFromSql, definition.name).toEqual(burnFromRows);
      // A handful of rings instead of thousands of minute rows.
      expect(fromSql.burnRollups.length + (definition.budgeting.method === "occurrences" ? fromSql.budgetRollups.length : 0)).toBeLessThan(20);
    }
    const burning = slos.find((s) => s.definition.name === "rolling-occurrences")!;
    expect(evaluateBurnRates({ objective: definitionObjective(burning.definition), window: burning.definition.window, now: NOW, rollups: sums.get(burning.id)!.burnRollups, rules: burning.definition.alertPolicy.burnRateRules }).firingSeverity).toBe("page");
    // Data last seen 8 days ago lies beyond every burn window, yet the no-data alert still learns its age.
    expect(evaluateBurnRates({ objective: definitionObjective(slos[3]!.definition), window: slos[3]!.definition.window, now: NOW, rollups: sums.get(slos[3]!.id)!.burnRollups, rules: [] }).minutesSinceLastData).toBeGreaterThan(8 * 1440);
  });
});
