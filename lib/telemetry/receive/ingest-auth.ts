// Who may send telemetry: anyone when ingestion is open (local demos), otherwise a token with the
// `ingest` scope. Lookups are cached briefly so that hot export paths do not query per request.
import { hasScope } from "../../auth/core/scopes";
import { authenticateToken } from "../../auth/store/tokens";
import type { Database } from "../../db/client";

export type IngestAuthResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

const CACHE_MS = 30_000;

export function createIngestAuth(db: Database, mode: "required" | "open", now = () => Date.now()) {
  const cache = new Map<string, { result: IngestAuthResult; until: number }>();
  return async function authorise(authorization: string | undefined): Promise<IngestAuthResult> {
    if (mode === "open") return { ok: true };
    const secret = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!secret) return { ok: false, status: 401, reason: "ingestion needs an API token: send `Authorization: Bearer tg_…` with the ingest scope" };
    const cached = cache.get(secret);
    if (cached && cached.until > now()) return cached.result;
    const auth = await authenticateToken(db, secret);
    const result: IngestAuthResult = !auth.ok
      ? { ok: false, status: 401, reason: `API token ${auth.reason}` }
      : hasScope(auth.actor, "ingest")
        ? { ok: true }
        : { ok: false, status: 403, reason: "this API token lacks the ingest scope" };
    if (cache.size > 10_000) cache.clear();
    cache.set(secret, { result, until: now() + CACHE_MS });
    return result;
  };
}
