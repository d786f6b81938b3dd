// Records each measurement twice: into an OpenTelemetry meter (exported over OTLP) and into a
// prom-client registry (scraped on :9464). Prometheus names are derived from the OTel names.
import type { Attributes, Meter } from "@opentelemetry/api";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type InstrumentDef = { name: string; description: string; unit: string; labels: readonly string[] };
export type Observation = { value: number; attributes?: Attributes };

const UNIT_SUFFIX: Record<string, string> = { s: "_seconds", By: "_bytes", "1": "_ratio" };

export function promMetricName(def: InstrumentDef, kind: "counter" | "histogram" | "gauge"): string {
  const base = def.name.replace(/[^a-zA-Z0-9_]/g, "_") + (UNIT_SUFFIX[def.unit] ?? "");
  return kind === "counter" ? `${base}_total` : base;
}

function promLabels(def: InstrumentDef, attributes: Attributes = {}): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of def.labels) {
    const v = attributes[name];
    if (v !== undefined) labels[name.replace(/\W/g, "_")] = String(v);
  }
  return labels;
}

// Several components in one process share the registry; observers are kept per metric name so
// a gauge reports every component's observations.
const gaugeObservers = new WeakMap<Registry, Map<string, Set<() => Observation[]>>>();

export class DualMeter {
  constructor(private readonly meter: Meter, private readonly registry: Registry) {}

  counter(def: InstrumentDef) {
    const otel = this.meter.createCounter(def.name, { description: def.description, unit: def.unit });
    const name = promMetricName(def, "counter");
    const prom = (this.registry.getSingleMetric(name) as Counter | undefined) ??
      new Counter({ name, help: def.description, labelNames: def.labels.map((l) => l.replace(/\W/g, "_")), registers: [this.registry] });
    return {
      add: (value: number, attributes: Attributes = {}) => {
        otel.add(value, attributes);
        prom.inc(promLabels(def, attributes), value);
      },
    };
  }

  histogram(def: InstrumentDef & { boundaries: number[] }) {
    const otel = this.meter.createHistogram(def.name, { description: def.description, unit: def.unit, advice: { explicitBucketBoundaries: def.boundaries } });
    const name = promMetricName(def, "histogram");
    const prom = (this.registry.getSingleMetric(name) as Histogram | undefined) ??
      new Histogram({ name, help: def.description, buckets: def.boundaries, labelNames: def.labels.map((l) => l.replace(/\W/g, "_")), registers: [this.registry] });
    return {
      record: (value: number, attributes: Attributes = {}) => {
        otel.record(value, attributes);
        prom.observe(promLabels(def, attributes), value);
      },
    };
  }

  /** A gauge read when collected; returns a function that stops observing. */
  gauge(def: InstrumentDef, observe: () => Observation[]): () => void {
    const otel = this.meter.createObservableGauge(def.name, { description: def.description, unit: def.unit });
    const callback = (result: { observe(value: number, attributes?: Attributes): void }) => {
      for (const o of observe()) result.observe(o.value, o.attributes);
    };
    otel.addCallback(callback);
    const name = promMetricName(def, "gauge");
    let byName = gaugeObservers.get(this.registry);
    if (!byName) gaugeObservers.set(this.registry, (byName = new Map()));
    let observers = byName.get(name);
    if (!observers) {
      const set = (observers = new Set());
      byName.set(name, set);
      new Gauge({
        name,
        help: def.description,
        labelNames: def.labels.map((l) => l.replace(/\W/g, "_")),
        registers: [this.registry],
        collect(this: Gauge) {
          this.reset();
          for (const fn of set) for (const o of fn()) this.set(promLabels(def, o.attributes), o.value);
        },
      });
    }
    observers.add(observe);
    const registered = observers;
    return () => {
      otel.removeCallback(callback);
      registered.delete(observe);
    };
  }
}
