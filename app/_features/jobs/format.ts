// Display helpers for jobs: status badges and nanosecond figures ("–" when unknown).
import { nsLabel } from "../services/format";

export function statusClass(status: string): string {
  return status === "succeeded" ? "ok" : status === "failed" ? "bad" : "warn";
}

export function durationLabel(ns: string | null): string {
  return ns === null ? "–" : nsLabel(ns);
}

export function nsToDate(ns: string): Date {
  return new Date(Number(BigInt(ns) / 1_000_000n));
}
