// The benchmark's load generator, run as a child process: sends span batches with the official OTLP/HTTP
// protobuf exporter, `inflight` exports at a time, for `seconds`, then reports counts and latencies to the parent.
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { makeBatch } from "./ingest-batches";

type Args = { url: string; seconds: number; inflight: number; batchSize: number };
export type SenderReport = { okSpans: number; okRequests: number; failedRequests: number; latenciesMs: number[]; elapsedMs: number; cpuMs: number };

async function run({ url, seconds, inflight, batchSize }: Args): Promise<SenderReport> {
  // The exporter fails exports beyond its concurrencyLimit (default 30) at once, and frees a slot only after the
  // callback, when the worker has already sent its next export: allow twice the workers.
  const exporter = new OTLPTraceExporter({ url, timeoutMillis: 60_000, concurrencyLimit: 2 * inflight });
  const report: SenderReport = { okSpans: 0, okRequests: 0, failedRequests: 0, latenciesMs: [], elapsedMs: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const batch = makeBatch(batchSize);
      const t = performance.now();
      const ok = await new Promise<boolean>((resolve) => exporter.export(batch, (r) => resolve(r.code === 0)));
      report.latenciesMs.push(performance.now() - t);
      if (ok) {
        report.okRequests++;
        report.okSpans += batch.length;
      } else report.failedRequests++;
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  report.elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  report.cpuMs = (used.user + used.system) / 1000;
  await exporter.shutdown();
  return report;
}

process.once("message", (args: Args) => {
  run(args).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: Error) => {
      console.error(err);
      process.exit(1);
    },
  );
});
