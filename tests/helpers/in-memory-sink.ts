// A real, small IngestSink that keeps batches in memory: receiver tests assert on what arrives.
import type { ExportOutcome } from "../../lib/telemetry/core/otlp/export-response";
import { IngestUnavailableError, type IngestBatch, type IngestSink } from "../../lib/telemetry/receive/sink";

export class InMemoryIngestSink implements IngestSink {
  readonly batches: IngestBatch[] = [];
  /** Set to make the next accepts fail as an overloaded store would. */
  unavailable = false;
  /** Set to report partial success. */
  outcome: ExportOutcome = { rejected: 0, errorMessage: null };
  /** Resolves accepts only when released, to hold requests in flight. */
  gate: Promise<void> | null = null;
  /** Set to refuse before the receiver decodes anything, as a store with a full write queue does. */
  backedUp = false;
  /** Batches `accept` was handed, refused or not: proves what a refusal cost. */
  offered = 0;

  refusal(): IngestUnavailableError | null {
    return this.backedUp ? new IngestUnavailableError("write queue full", 3) : null;
  }

  async accept(batch: IngestBatch): Promise<ExportOutcome> {
    this.offered++;
    if (this.gate) await this.gate;
    if (this.unavailable) throw new IngestUnavailableError("store is full", 7);
    this.batches.push(batch);
    return this.outcome;
  }
}
