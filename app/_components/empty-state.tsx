import { getAppContext } from "@/lib/context/app-context";
import { ingestEndpoints } from "@/lib/runtime/status";
import { requestHost } from "../_lib/session";

/** What a page will show once data arrives, and how to send it: the OTLP endpoints to use. */
export async function EmptyState({ title, children }: { title: string; children: React.ReactNode }) {
  const app = getAppContext();
  const ep = ingestEndpoints(app, await requestHost());
  return (
    <section className="panel empty">
      <h2>{title}</h2>
      <div className="muted">{children}</div>
      <h2>Send telemetry to Tailguard</h2>
      <p className="muted">Point any OpenTelemetry SDK or Collector at these endpoints (OTLP defaults):</p>
      <pre>{`OTEL_EXPORTER_OTLP_ENDPOINT=${ep.otlpHttpEndpoint}     # OTLP/HTTP, protobuf or JSON
# or OTLP/gRPC: ${ep.otlpGrpcEndpoint}
${ep.auth === "required" ? 'OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token with the ingest scope>"' : "# ingestion is open on this server (demo mode); production requires an ingest token"}
OTEL_SERVICE_NAME=my-service
# tag every span of an async job with its ID so Tailguard can follow it: job.id=<id>, job.attempt=<n>`}</pre>
    </section>
  );
}
