// Starts and stops the OTLP receivers (HTTP :4318, gRPC :4317) of an ingest replica.
import type { Server as GrpcServer } from "@grpc/grpc-js";
import { closeGracefully, listen, ListenError } from "../../runtime/listen";
import type { AppContext } from "../../context/app-context";
import { ByteBudget } from "./byte-budget";
import { bindGrpc, createOtlpGrpcServer } from "./grpc-receiver";
import { createOtlpHttpServer } from "./http-receiver";
import { createIngestAuth } from "./ingest-auth";
import { createStoreSink, spanLimitsFromConfig } from "./store-sink";

export async function startReceivers(app: AppContext): Promise<{ stop(): Promise<void> }> {
  const { config, logger, metrics } = app;
  const log = logger.child({ component: "otlp" });
  const common = {
    sink: createStoreSink(app),
    authorise: createIngestAuth(app.db, config.ingestAuth),
    // A quarter of the budget per client address unless configured: a few senders can never starve the rest.
    budget: new ByteBudget(config.OTLP_MAX_INFLIGHT_BYTES, config.OTLP_MAX_INFLIGHT_BYTES_PER_CLIENT ?? Math.floor(config.OTLP_MAX_INFLIGHT_BYTES / 4)),
    maxRequestBytes: config.OTLP_MAX_REQUEST_BYTES,
    logger: log,
    metrics,
    spanLimits: spanLimitsFromConfig(config),
  };
  const http = createOtlpHttpServer({
    ...common,
    requestTimeoutMs: config.OTLP_REQUEST_TIMEOUT_MS,
    bodyIdleTimeoutMs: config.OTLP_BODY_IDLE_TIMEOUT_MS,
    minBodyBytesPerS: config.OTLP_MIN_BODY_BYTES_PER_S,
  });
  await listen(http, config.OTLP_HTTP_PORT, config.HOST, "OTLP/HTTP");
  let grpc: GrpcServer;
  try {
    grpc = createOtlpGrpcServer(common);
    await bindGrpc(grpc, config.HOST, config.OTLP_GRPC_PORT);
  } catch (err) {
    await closeGracefully(http, 0);
    throw new ListenError(`cannot listen for OTLP/gRPC on ${config.HOST}:${config.OTLP_GRPC_PORT}: ${(err as Error).message}`);
  }
  log.info("OTLP receivers listening", { http: config.OTLP_HTTP_PORT, grpc: config.OTLP_GRPC_PORT, auth: config.ingestAuth });
  return {
    async stop() {
      await Promise.all([
        closeGracefully(http, config.TAILGUARD_SHUTDOWN_GRACE_MS),
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            grpc.forceShutdown();
            resolve();
          }, config.TAILGUARD_SHUTDOWN_GRACE_MS);
          grpc.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        }),
      ]);
    },
  };
}
