"use client";
// SLI per hour against the objective, and the error budget remaining over the window.
import { Area, CartesianGrid, ComposedChart, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Point = { at: string; sliRatio: number | null; budgetRemainingRatio: number | null; idealRemainingRatio: number };

const time = (iso: string) => new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit" });
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function SloCharts({ series, objectiveRatio }: { series: Point[]; objectiveRatio: number }) {
  const values = series.flatMap((p) => (p.sliRatio === null ? [] : [p.sliRatio]));
  if (values.length === 0) {
    return (
      <section className="panel empty" aria-label="SLI per hour">
        <h2>No events in the window yet</h2>
        <p className="muted">The SLI and error budget charts fill in as soon as spans or jobs matching this SLO arrive.</p>
      </section>
    );
  }
  const low = Math.min(objectiveRatio, ...values);
  const domainLow = Math.max(0, low - (1 - low) * 0.5);
  return (
    <div className="grid">
      <section className="panel" aria-label="SLI per hour">
        <h2 style={{ marginTop: 0 }}>SLI per hour</h2>
        <div className="chart">
          <ResponsiveContainer>
            <LineChart data={series} margin={{ left: 8, right: 8 }}>
              <CartesianGrid stroke="#eef0f3" />
              <XAxis dataKey="at" tickFormatter={time} minTickGap={40} fontSize={11} />
              <YAxis domain={[domainLow, 1]} tickFormatter={pct} fontSize={11} width={64} />
              <Tooltip labelFormatter={(l) => time(String(l))} formatter={(v) => (typeof v === "number" ? pct(v) : "no data")} />
              <ReferenceLine y={objectiveRatio} stroke="#c92a2a" strokeDasharray="4 4" label={{ value: "objective", fontSize: 11, fill: "#c92a2a" }} />
              {/* Hours without events stay gaps: connectNulls is off on purpose. */}
              <Line type="stepAfter" dataKey="sliRatio" stroke="#3b5bdb" dot={false} isAnimationActive={false} connectNulls={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section className="panel" aria-label="Error budget remaining">
        <h2 style={{ marginTop: 0 }}>Error budget burndown</h2>
        <div className="chart">
          <ResponsiveContainer>
            <ComposedChart data={series} margin={{ left: 8, right: 8 }}>
              <CartesianGrid stroke="#eef0f3" />
              <XAxis dataKey="at" tickFormatter={time} minTickGap={40} fontSize={11} />
              <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)}%`} fontSize={11} width={48} />
              <Tooltip labelFormatter={(l) => time(String(l))} formatter={(v) => (typeof v === "number" ? `${(v * 100).toFixed(1)}%` : "no data")} />
              <ReferenceLine y={0} stroke="#c92a2a" />
              <Area type="stepAfter" dataKey="budgetRemainingRatio" name="remaining" stroke="#2b8a3e" fill="#e6f4ea" isAnimationActive={false} connectNulls={false} />
              {/* Spending the budget evenly over the window: below this line the SLO burns too fast. */}
              <Line type="linear" dataKey="idealRemainingRatio" name="even spend" stroke="#868e96" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      </section>
    </div>
  );
}
