// The time range of a telemetry read: parsed from ISO 8601 or epoch milliseconds, defaulted to the last hour,
// bounded, and aligned to whole minutes (rollups are per minute).
import { DomainError } from "../../../errors";

export type MinuteRange = { fromMinute: number; toMinute: number };

export const MAX_RANGE_MINUTES = 35 * 1440;

function parseTime(value: string | undefined, field: string): number | null {
  if (value === undefined || value === "") return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new DomainError("invalid", `${field}: expected an ISO 8601 time or epoch milliseconds`, [{ path: field, message: "not a time" }]);
  return ms;
}

/** [fromMinute, toMinute) in Unix minutes: `from` rounds down and `to` up, so the range covers both ends. */
export function minuteRange(query: { from?: string; to?: string }, nowMs: number, defaultMinutes = 60): MinuteRange {
  const toMs = parseTime(query.to, "to") ?? nowMs;
  const fromMs = parseTime(query.from, "from") ?? toMs - defaultMinutes * 60_000;
  if (fromMs >= toMs) throw new DomainError("invalid", "from: must be before to", [{ path: "from", message: "not before to" }]);
  const fromMinute = Math.floor(fromMs / 60_000);
  const toMinute = Math.ceil(toMs / 60_000);
  if (toMinute - fromMinute > MAX_RANGE_MINUTES) throw new DomainError("invalid", `to: the range may span at most ${MAX_RANGE_MINUTES / 1440} days`);
  return { fromMinute, toMinute };
}

export function minuteToIso(minute: number): string {
  return new Date(minute * 60_000).toISOString();
}
