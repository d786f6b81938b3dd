// The ingest sink over the database. Telemetry storage (spans, metric points, logs, rollups and
// the job index) is the OTLP ingestion capability's work; until it lands, exports are refused
// with 503 so that no client believes its data was stored.
import type { AppContext } from "../runtime/context";
import { IngestUnavailableError, type IngestSink } from "./sink";

export function createStoreSink(_app: AppContext): IngestSink {
  return {
    async accept() {
      throw new IngestUnavailableError("telemetry storage is not available in this build yet", 60);
    },
  };
}
