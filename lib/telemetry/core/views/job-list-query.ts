// The jobs list's filters as SQL over the job index, and its opaque keyset cursor (last_seen_ns, job_id),
// newest first. Pure: it builds text and parameters and reads no database.
import { DomainError } from "../../../errors";

export type JobStatusFilter = "succeeded" | "failed" | "running";

export type JobListFilter = {
  service?: string; status?: JobStatusFilter; minAttempts?: number; minE2eMs?: number; maxE2eMs?: number;
  /** ISO 8601 or epoch milliseconds: jobs active at some point in [from, to]. */
  from?: string; to?: string;
  /** A job ID prefix, or text in the job's last error message. */
  q?: string;
  limit: number; cursor?: string;
};

export type JobCursor = { lastSeenUnixNano: bigint; jobId: string };

export function encodeJobCursor(c: JobCursor): string {
  return Buffer.from(JSON.stringify([String(c.lastSeenUnixNano), c.jobId]), "utf8").toString("base64url");
}

// last_seen_ns is a PostgreSQL bigint: a larger number in a forged cursor is a bad cursor, not a query error.
const INT64_MAX = 9_223_372_036_854_775_807n;

export function decodeJobCursor(text: string): JobCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && /^\d{1,19}$/.test(parsed[0]) && BigInt(parsed[0]) <= INT64_MAX && typeof parsed[1] === "string" && parsed[1].length <= 1_024 && !parsed[1].includes("\u0000")) {
      return { lastSeenUnixNano: BigInt(parsed[0]), jobId: parsed[1] };
    }
  } catch {
    // fall through to the one error below
  }
  throw new DomainError("invalid", "cursor: not a cursor this API returned", [{ path: "cursor", message: "not a cursor" }]);
}

function timeNs(value: string | undefined, field: string): bigint | null {
  if (value === undefined || value === "") return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new DomainError("invalid", `${field}: expected an ISO 8601 time or epoch milliseconds`, [{ path: field, message: "not a time" }]);
  return BigInt(Math.round(ms)) * 1_000_000n;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** WHERE clause and parameters; the caller appends ORDER BY last_seen_ns DESC, job_id DESC and the limit. */
export function jobListWhere(filter: JobListFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds: string[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.service !== undefined) conds.push(`services @> ARRAY[${p(filter.service)}::text]`);
  if (filter.status !== undefined) conds.push(`status = ${p(filter.status)}`);
  if (filter.minAttempts !== undefined) conds.push(`attempts >= ${p(filter.minAttempts)}`);
  if (filter.minE2eMs !== undefined) conds.push(`e2e_ns >= ${p(String(BigInt(Math.ceil(filter.minE2eMs * 1e6))))}::bigint`);
  if (filter.maxE2eMs !== undefined) conds.push(`e2e_ns <= ${p(String(BigInt(Math.floor(filter.maxE2eMs * 1e6))))}::bigint`);
  const from = timeNs(filter.from, "from");
  const to = timeNs(filter.to, "to");
  if (from !== null && to !== null && from >= to) throw new DomainError("invalid", "from: must be before to", [{ path: "from", message: "not before to" }]);
  if (from !== null) conds.push(`last_seen_ns >= ${p(String(from))}::bigint`);
  if (to !== null) conds.push(`first_seen_ns <= ${p(String(to))}::bigint`);
  if (filter.q !== undefined && filter.q.trim() !== "") {
    const q = filter.q.trim();
    conds.push(`(job_id LIKE ${p(`${escapeLike(q)}%`)} OR error_message ILIKE ${p(`%${escapeLike(q)}%`)})`);
  }
  if (filter.cursor !== undefined) {
    const c = decodeJobCursor(filter.cursor);
    conds.push(`(last_seen_ns, job_id) < (${p(String(c.lastSeenUnixNano))}::bigint, ${p(c.jobId)}::text COLLATE "C")`);
  }
  return { where: conds.length === 0 ? "" : `WHERE ${conds.join(" AND ")}`, params };
}
