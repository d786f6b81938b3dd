"use client";
// A 30-day SLI sparkline; days without events are gaps.
import { Line, LineChart, ReferenceLine, YAxis } from "recharts";

export function Sparkline({ values, objectiveRatio }: { values: (number | null)[]; objectiveRatio: number }) {
  const data = values.map((v, i) => ({ i, v }));
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return <span className="muted">no data</span>;
  const low = Math.min(objectiveRatio, ...present);
  return (
    <LineChart width={120} height={28} data={data} aria-label="SLI over the last 30 days">
      <YAxis hide domain={[Math.max(0, low - (1 - low) * 0.5), 1]} />
      <ReferenceLine y={objectiveRatio} stroke="#c92a2a" strokeDasharray="2 2" />
      <Line type="monotone" dataKey="v" stroke="#3b5bdb" dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
}
