// Shared shapes of the detection core: per-minute series in, signal candidates out.

/** One minute of a series; `value: null` is a gap (no data), never a zero. */
export interface MinutePoint {
  /** Unix seconds at the start of the minute (a multiple of 60). */
  minuteUnix: number;
  value: number | null;
}

/** A series with the name a chart or an evidence list can show. */
export interface NamedSeries {
  name: string;
  points: MinutePoint[];
}

export type SignalKind = "saturation" | "retry_storm" | "cache_stampede";
export type SignalSeverity = "warning" | "critical";

/** What one detector evaluation found; signal-state decides whether it opens a signal. */
export interface SignalCandidate {
  kind: SignalKind;
  /** The resource the signal is about, e.g. a queue name or "caller->dependency". */
  resource: string;
  severity: SignalSeverity;
  /** One line an on-call engineer reads first. */
  summary: string;
  /** Machine-readable causes, e.g. "backlog_growth", "no_backoff". */
  reasonCodes: string[];
  evidence: {
    /** Names of the series that show the problem, for charts. */
    series: string[];
    /** The figures the summary was built from; null where the data had a gap. */
    figures: Record<string, number | null>;
    exampleJobIds: string[];
  };
}

/** One point of an evidence chart, at a real time (ISO 8601); null is a gap. */
export interface ChartPoint {
  at: string;
  value: number | null;
}
export interface Chart {
  name: string;
  points: ChartPoint[];
}

/**
 * One detector evaluation to run: its input, the services its verdict concerns (the first is the one
 * to act, whose thresholds judge it) and the charts its evidence may name.
 */
export interface DetectorInput<I> {
  input: I;
  services: string[];
  charts: Chart[];
}
