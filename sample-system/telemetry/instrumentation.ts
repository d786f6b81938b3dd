// Automatic instrumentation for http, pg, amqplib and ioredis, registered on import. Import this
// module before anything that loads those packages: require-in-the-middle patches a package only
// when it is first required, so the packages are required here, right after registration.
import { context, createContextKey, propagation, trace, type Attributes, type Span, type Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import type { IncomingMessage, Server } from "node:http";
import { createRequire } from "node:module";
import { ATTR, HEADER } from "./attributes";
import { routedTracerProvider } from "./span-routing";

const tracedServers = new WeakSet<Server>();
const PUBLISH_ATTRIBUTES = createContextKey("tailguard.sample.publish-attributes");

/** Only the sample API's own servers get SERVER spans (the host process may serve HTTP too). */
export function traceServer(server: Server): void {
  tracedServers.add(server);
}

/** Attributes (and span name) for the amqplib publish span of a publish made inside `ctx`. */
export function withPublishAttributes(ctx: Context, name: string, attributes: Attributes): Context {
  return ctx.setValue(PUBLISH_ATTRIBUTES, { name, attributes });
}

const headerText = (v: unknown) => (Buffer.isBuffer(v) ? v.toString() : v === undefined ? undefined : String(v));

function register(): void {
  // Both only take effect when the host process has none of its own (they answer false then).
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // amqplib injects and extracts through the global propagator.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  registerInstrumentations({
    tracerProvider: routedTracerProvider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => !tracedServers.has((req.socket as { server?: Server }).server as Server),
        requireParentforOutgoingSpans: true,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation({
        publishHook: (span) => {
          const named = context.active().getValue(PUBLISH_ATTRIBUTES) as { name: string; attributes: Attributes } | undefined;
          if (!named) return;
          span.updateName(named.name);
          span.setAttributes(named.attributes);
        },
        consumeHook: (span, { msg }) => {
          const headers = msg.properties.headers ?? {};
          const jobId = headerText(headers[HEADER.jobId]);
          if (jobId) span.setAttributes({ [ATTR.jobId]: jobId, [ATTR.jobAttempt]: Number(headerText(headers[HEADER.jobAttempt]) ?? 0) });
        },
      }),
    ],
  });
  const require = createRequire(import.meta.url);
  for (const name of ["http", "pg", "amqplib", "ioredis"]) require(name);
}

const REGISTERED = Symbol.for("tailguard.sample-system.instrumentation");
const registry = globalThis as { [REGISTERED]?: true };
if (!registry[REGISTERED]) {
  registry[REGISTERED] = true;
  register();
}

/** The active span when an instrumentation (by package name) made it for the work now running. */
export function activeSpanOf(instrumentation: "http" | "amqplib") {
  const span = trace.getActiveSpan() as (Span & { instrumentationScope?: { name: string } }) | undefined;
  return span?.isRecording() && span.instrumentationScope?.name === `@opentelemetry/instrumentation-${instrumentation}` ? span : undefined;
}
