// What the overview page and GET /api/v1/status show: version, database, ingest endpoints, replicas.
import type { z } from "zod";
import type { StatusView } from "../api/core/contract";
import type { AppContext } from "../context/app-context";

const LIVE_INSTANCE_MS = 5 * 60_000;

export function ingestEndpoints(app: AppContext, requestHost?: string | null) {
  const host = (requestHost ?? "localhost").replace(/:\d+$/, "");
  const base = app.config.TAILGUARD_PUBLIC_URL ? new URL(app.config.TAILGUARD_PUBLIC_URL).hostname : host;
  return {
    otlpHttpEndpoint: `http://${base}:${app.config.OTLP_HTTP_PORT}`,
    otlpGrpcEndpoint: `http://${base}:${app.config.OTLP_GRPC_PORT}`,
    auth: app.config.ingestAuth,
  };
}

export async function getStatus(app: AppContext, requestHost?: string | null, now = new Date()): Promise<z.infer<typeof StatusView>> {
  const rows = await app.db.prisma.instance.findMany({ where: { lastSeenAt: { gte: new Date(now.getTime() - LIVE_INSTANCE_MS) } }, orderBy: { startedAt: "asc" } });
  return {
    version: app.version,
    database: { kind: app.db.kind, location: app.db.location },
    ingest: ingestEndpoints(app, requestHost),
    instances: rows.map((r) => ({
      id: r.id,
      role: r.role,
      hostname: r.hostname,
      pid: r.pid,
      version: r.version,
      startedAt: r.startedAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      isLeader: r.isLeader,
      lastTickAt: r.lastTickAt?.toISOString() ?? null,
      lastTickMs: r.lastTickMs,
    })),
  };
}
