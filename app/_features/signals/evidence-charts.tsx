"use client";
// The series a signal was judged on, one chart each: sliding one-minute windows ending at the times shown.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SignalView } from "@/lib/signals/browser";
import { trimLeadingGaps } from "./format";

const COLORS = ["#3b5bdb", "#c92a2a", "#e67700", "#2b8a3e", "#7048e8", "#0b7285", "#5c940d"];
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
const number = (v: number) => (Math.abs(v) >= 100 ? String(Math.round(v)) : v.toFixed(2));

export function EvidenceCharts({ charts }: { charts: SignalView["charts"] }) {
  if (charts.length === 0) return <p className="muted">No series were kept for this signal.</p>;
  return (
    <div className="grid">
      {trimLeadingGaps(charts).map((c, i) => (
        <section key={c.name} className="panel" aria-label={c.name}>
          <h2 style={{ marginTop: 0 }}>{c.name}</h2>
          <div className="chart">
            <ResponsiveContainer>
              <LineChart data={c.points} margin={{ left: 8, right: 8 }}>
                <CartesianGrid stroke="#eef0f3" />
                <XAxis dataKey="at" tickFormatter={time} minTickGap={40} fontSize={11} />
                <YAxis tickFormatter={number} fontSize={11} width={56} />
                <Tooltip labelFormatter={(l) => `minute ending ${new Date(String(l)).toLocaleTimeString()}`} formatter={(v) => (typeof v === "number" ? number(v) : "no data")} />
                <Line type="monotone" dataKey="value" name={c.name} stroke={COLORS[i % COLORS.length]} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </section>
      ))}
    </div>
  );
}
