// The SLO table of the overview: SLI, objective, budget bar, burn rate now, alert state, 30-day sparkline.
import Link from "next/link";
import { definitionObjective, objectiveRatio, SloOverview, sloState } from "@/lib/slo";
import { budgetClass, burnLabel, percent } from "./format";
import { Sparkline } from "./sparkline";

function BudgetBar({ remaining }: { remaining: number | null }) {
  if (remaining === null) return <span className="muted">no data</span>;
  const width = Math.max(0, Math.min(1, remaining)) * 100;
  const color = { ok: "#2b8a3e", warn: "#e67700", bad: "#c92a2a", "": "#adb5bd" }[budgetClass(remaining)];
  return (
    <div title={percent(remaining, 1)} style={{ display: "flex", alignItems: "center", gap: 8 }}>
      <div style={{ width: 90, height: 8, background: "#edf0f5", borderRadius: 4 }}>
        <div style={{ width: `${width}%`, height: 8, background: color, borderRadius: 4 }} />
      </div>
      <span style={{ fontSize: 12 }}>{percent(remaining, 1)}</span>
    </div>
  );
}

export function SloOverviewTable({ slos, sparklines }: { slos: SloOverview[]; sparklines: Map<string, (number | null)[]> }) {
  return (
    <table>
      <thead>
        <tr><th>SLO</th><th>Service</th><th>SLI</th><th>Objective</th><th>Budget left</th><th>Burn now (1 h)</th><th>State</th><th>30 days</th></tr>
      </thead>
      <tbody>
        {slos.map((s) => {
          const state = sloState(s);
          return (
            <tr key={s.id} data-testid="overview-slo-row">
              <td><Link href={`/slos/${s.definition.name}`}>{s.definition.displayName ?? s.definition.name}</Link></td>
              <td>{s.definition.service}</td>
              <td>{s.status ? percent(s.status.sliRatio) : "–"}</td>
              <td>{s.definition.objectivePercent} %</td>
              <td><BudgetBar remaining={s.status && !s.status.noData ? s.status.budgetRemainingRatio : null} /></td>
              <td>{burnLabel(s.status?.burnRates.find((b) => b.windowMinutes === 60)?.burnRate)}</td>
              <td><span className={`badge ${state === "firing" ? "bad" : state === "ok" ? "ok" : ""}`}>{state === "firing" ? s.alerts.filter((a) => a.status === "firing").map((a) => a.key).join(", ") : state}</span></td>
              <td><Sparkline values={sparklines.get(s.id) ?? []} objectiveRatio={objectiveRatio(definitionObjective(s.definition))} state={state} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
