// A real, small IngestSink that keeps batches in memory: receiver tests assert on what arrives.
import type { ExportOutcome } from "../../lib/otlp/export-response";
import { IngestUnavailableError, type IngestBatch, type IngestSink } from "../../lib/ingest/sink";

export class InMemoryIngestSink implements IngestSink {
  readonly batches: IngestBatch[] = [];
  /** Set to make the next accepts fail as an overloaded store would. */
  unavailable = false;
  /** Set to report partial success. */
  outcome: ExportOutcome = { rejected: 0, errorMessage: null };
  /** Resolves accepts only when released, to hold requests in flight. */
  gate: Promise<void> | null = null;

  async accept(batch: IngestBatch): Promise<ExportOutcome> {
    if (this.gate) await this.gate;
    if (this.unavailable) throw new IngestUnavailableError("store is full", 7);
    this.batches.push(batch);
    return this.outcome;
  }
}
