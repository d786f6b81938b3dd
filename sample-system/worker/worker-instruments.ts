// The worker component's instruments, created once per process and shared by its workers.
import type { DualMeter } from "../telemetry/dual-meter";
import { METRICS } from "../telemetry/instruments";

export type WorkerInstruments = ReturnType<typeof createWorkerInstruments>;

export function createWorkerInstruments(meter: DualMeter) {
  return {
    sent: meter.counter(METRICS.sent),
    consumed: meter.counter(METRICS.consumed),
    processDuration: meter.histogram(METRICS.processDuration),
    acks: meter.counter(METRICS.acks),
    redeliveries: meter.counter(METRICS.redeliveries),
    inferenceDuration: meter.histogram(METRICS.inferenceDuration),
    slotWait: meter.histogram(METRICS.slotWait),
    downstream: meter.counter(METRICS.downstream),
    jobCompletion: meter.histogram(METRICS.jobCompletion),
    jobAttempts: meter.histogram(METRICS.jobAttempts),
    cacheRequests: meter.counter(METRICS.cacheRequests),
  };
}
