"use client";
// A 30-day SLI sparkline in the SLO state's colour; days without events are gaps, a lone day is a dot.
import { Line, LineChart, ReferenceLine, YAxis } from "recharts";

/** Line colours by SLO state: red only while an alert fires, so a healthy SLO never draws red. */
const STATE_COLOUR = { firing: "#c92a2a", ok: "#2b8a3e", "no data": "#868e96" } as const;

export function Sparkline({ values, objectiveRatio, state }: { values: (number | null)[]; objectiveRatio: number; state: keyof typeof STATE_COLOUR }) {
  const data = values.map((v, i) => ({ i, v }));
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return <span className="muted">no data yet</span>;
  const low = Math.min(objectiveRatio, ...present);
  const colour = STATE_COLOUR[state];
  return (
    <LineChart width={120} height={28} data={data} aria-label={`SLI over the last 30 days (${present.length} day${present.length === 1 ? "" : "s"} with data)`}>
      <YAxis hide domain={[Math.max(0, low - (1 - low) * 0.5), 1]} />
      <ReferenceLine y={objectiveRatio} stroke="#adb5bd" strokeDasharray="2 2" />
      <Line type="monotone" dataKey="v" stroke={colour} dot={present.length === 1 ? { r: 2, fill: colour, stroke: colour } : false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
}
