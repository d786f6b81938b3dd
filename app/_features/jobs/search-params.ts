// The jobs page's URL query: filter values as the form shows them, the API filter they mean, and page links.
import { jobsApi } from "@/lib/api/browser";
import type { JobListFilter } from "@/lib/telemetry/browser";
import { RANGES } from "../services/format";

export const FILTER_KEYS = ["service", "status", "minAttempts", "minE2eMs", "maxE2eMs", "range", "q"] as const;
export type JobSearchValues = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export const JOB_RANGES = [{ key: "", label: "Any time" }, ...RANGES.map((r) => ({ key: r.key, label: `Last ${r.label}` }))];
const PAGE_SIZE = 50;

/** Empty form fields are absent filters; `range` becomes `from` relative to now. */
export function jobSearch(raw: Record<string, string | string[] | undefined>, nowMs: number): { values: JobSearchValues; cursor?: string; filter: JobListFilter | null; problem: string | null } {
  const values: JobSearchValues = {};
  for (const key of FILTER_KEYS) {
    const v = raw[key];
    if (typeof v === "string" && v.trim() !== "") values[key] = v.trim();
  }
  const cursor = typeof raw.cursor === "string" && raw.cursor !== "" ? raw.cursor : undefined;
  const range = RANGES.find((r) => r.key === values.range);
  const { range: _range, ...rest } = values;
  const parsed = jobsApi.listJobs.query.safeParse({ ...rest, limit: String(PAGE_SIZE), cursor, ...(range ? { from: new Date(nowMs - range.minutes * 60_000).toISOString() } : {}) });
  if (!parsed.success) return { values, cursor, filter: null, problem: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  return { values, cursor, filter: parsed.data, problem: null };
}

export function hasFilters(values: JobSearchValues): boolean {
  return Object.keys(values).length > 0;
}

export function jobsHref(values: JobSearchValues, cursor?: string): string {
  const params = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query === "" ? "/jobs" : `/jobs?${query}`;
}

export function jobHref(jobId: string): string {
  return `/jobs/${encodeURIComponent(jobId)}`;
}
