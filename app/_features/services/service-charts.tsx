"use client";
// A service's RED over time: request rate, error ratio and p50/p95/p99 latency; minutes without data stay gaps.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ServicePoint } from "@/lib/telemetry/browser";
import { errorLabel, msLabel, rateLabel } from "./format";

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

type ChartProps = { title: string; data: ServicePoint[]; lines: Array<{ key: keyof ServicePoint; color: string; name: string }>; format: (v: number) => string; minTop: number };

function Chart({ title, data, lines, format, minTop }: ChartProps) {
  return (
    <section className="panel" aria-label={title}>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <div className="chart">
        <ResponsiveContainer>
          <LineChart data={data} margin={{ left: 8, right: 8 }}>
            <CartesianGrid stroke="#eef0f3" />
            <XAxis dataKey="at" tickFormatter={time} minTickGap={40} fontSize={11} />
            <YAxis domain={[0, (max: number) => Math.max(max, minTop)]} tickFormatter={format} fontSize={11} width={64} />
            <Tooltip labelFormatter={(l) => new Date(String(l)).toLocaleString()} formatter={(v) => (typeof v === "number" ? format(v) : "no data")} />
            {lines.length > 1 && <Legend />}
            {/* connectNulls stays off: a minute without spans is a gap, not a zero; dots show isolated minutes. */}
            {lines.map((l) => <Line key={l.key} type="monotone" dataKey={l.key} name={l.name} stroke={l.color} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />)}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export function ServiceCharts({ series }: { series: ServicePoint[] }) {
  if (!series.some((p) => p.requestRatePerS !== null)) {
    return (
      <section className="panel empty" aria-label="Request rate">
        <h2>No spans in this range</h2>
        <p className="muted">Pick a longer range, or send spans from this service; charts fill in within a minute of their arrival.</p>
      </section>
    );
  }
  return (
    <div className="grid">
      <Chart title="Request rate" data={series} minTop={0.1} format={(v) => rateLabel(v)} lines={[{ key: "requestRatePerS", color: "#3b5bdb", name: "requests" }]} />
      <Chart title="Errors" data={series} minTop={0.01} format={(v) => errorLabel(v)} lines={[{ key: "errorRatio", color: "#c92a2a", name: "error ratio" }]} />
      <Chart title="Latency" data={series} minTop={1} format={(v) => msLabel(v)} lines={[{ key: "p50Ms", color: "#2b8a3e", name: "p50" }, { key: "p95Ms", color: "#e67700", name: "p95" }, { key: "p99Ms", color: "#c92a2a", name: "p99" }]} />
    </div>
  );
}
