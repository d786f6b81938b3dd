// One OpenTelemetry SDK setup per component (sample-api, sample-worker): its own resource, tracer,
// meter and logger, exporting OTLP/HTTP protobuf; nothing is registered globally, so the sample
// system can run inside another process (Tailguard's demo) without touching its telemetry.
import type { Meter, SpanKind, Tracer } from "@opentelemetry/api";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";
import { jobAttributesProcessor } from "./job-attributes";
import { ownershipProcessor, ownRootSpans } from "./span-routing";
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace";

const SHUTDOWN_EXPORT_BOUND_MS = 1_500;

export type TelemetryOptions = {
  /** Base URL such as http://127.0.0.1:4318; null exports nothing over OTLP (tests). */
  otlpEndpoint: string | null;
  /** Extra exporter, e.g. the SDK's InMemorySpanExporter in tests (exported span by span). */
  spanExporter?: SpanExporter;
  metricExportIntervalMs: number;
  instanceId: string;
  /** The resource's service.version: each release of a component reports its own. */
  serviceVersion: string;
  /** Root spans of automatic instrumentation this component owns (the API: SERVER; workers: CONSUMER). */
  automaticRoots?: SpanKind[];
};

export type ComponentTelemetry = {
  serviceName: string;
  tracer: Tracer;
  meter: Meter;
  logger: ReturnType<LoggerProvider["getLogger"]>;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
};

export function startComponentTelemetry(serviceName: string, options: TelemetryOptions): ComponentTelemetry {
  const resource = resourceFromAttributes({
    "service.name": serviceName,
    "service.version": options.serviceVersion,
    "service.namespace": "tailguard-sample",
    "service.instance.id": `${serviceName}-${options.instanceId}`,
    "deployment.environment.name": "sample",
  });
  const base = options.otlpEndpoint?.replace(/\/$/, "");
  // Ownership first, so spans from automatic instrumentation follow their parent's component.
  const spanProcessors: SpanProcessor[] = [ownershipProcessor(() => tracerProvider), jobAttributesProcessor()];
  if (base) spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }), scheduledDelayMillis: 1000, maxQueueSize: 20_000 }));
  if (options.spanExporter) spanProcessors.push(new SimpleSpanProcessor({ exporter: options.spanExporter }));
  const tracerProvider: TracerProvider = new TracerProvider({ resource, spanProcessors });
  const disownRoots = ownRootSpans(tracerProvider, options.automaticRoots ?? []);

  const readers: IMetricReader[] = base
    ? [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }), exportIntervalMillis: options.metricExportIntervalMs })]
    : [];
  const meterProvider = new MeterProvider({ resource, readers });
  const loggerProvider = new LoggerProvider({ resource, processors: base ? [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })] : [] });

  return {
    serviceName,
    tracer: tracerProvider.getTracer("tailguard-sample-system"),
    meter: meterProvider.getMeter("tailguard-sample-system"),
    logger: loggerProvider.getLogger("tailguard-sample-system"),
    async forceFlush() {
      await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);
    },
    async shutdown() {
      disownRoots();
      // A collector that is gone (Tailguard stopping with the demo) makes each exporter retry for
      // 10 s: what is not exported within the bound is dropped rather than holding the stop.
      let timer: NodeJS.Timeout | undefined;
      const flushed = Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
      await Promise.race([flushed, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_EXPORT_BOUND_MS)))]);
      clearTimeout(timer);
    },
  };
}
