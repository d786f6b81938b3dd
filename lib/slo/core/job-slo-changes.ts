// What a job index change means for job-completion SLOs: the old row's contribution is taken back and the new
// row's added, so the rollups always hold exactly one contribution per finished job, whatever order batches take.
import { jobContributions, type FinishedJob, type SloContribution, type SloRef } from "./span-sli";

export type JobState = { jobId: string; firstSeenUnixNano: bigint; status: string; statusTimeUnixNano: bigint; services: readonly string[]; queues: readonly string[] };

function finished(row: JobState | undefined): FinishedJob | null {
  if (row === undefined || row.status === "running") return null;
  return { jobId: row.jobId, firstSeenUnixNano: row.firstSeenUnixNano, finishedUnixNano: row.statusTimeUnixNano, succeeded: row.status === "succeeded", services: row.services, queues: row.queues };
}

function sameContribution(a: FinishedJob | null, b: FinishedJob | null): boolean {
  if (a === null || b === null) return a === b;
  return a.firstSeenUnixNano === b.firstSeenUnixNano && a.finishedUnixNano === b.finishedUnixNano && a.succeeded === b.succeeded
    && a.services.join("\u0000") === b.services.join("\u0000") && a.queues.join("\u0000") === b.queues.join("\u0000");
}

export function jobContributionChanges(slos: readonly SloRef[], before: ReadonlyMap<string, JobState>, after: readonly JobState[]): SloContribution[] {
  const retract: FinishedJob[] = [];
  const add: FinishedJob[] = [];
  for (const row of after) {
    const was = finished(before.get(row.jobId));
    const now = finished(row);
    if (sameContribution(was, now)) continue;
    if (was) retract.push(was);
    if (now) add.push(now);
  }
  const negated = jobContributions(slos, retract).map((c) => ({ ...c, good: -c.good, total: -c.total }));
  return [...negated, ...jobContributions(slos, add)];
}

/** Whether any SLO needs job rows at all (else the writer skips locking and reading them). */
export function hasJobSlos(slos: readonly SloRef[]): boolean {
  return slos.some((s) => s.definition.sli.kind === "jobCompletion");
}

/** Sorted by SLO and minute, so concurrent writers update rollup rows in the same order. */
export function sortContributions(contributions: readonly SloContribution[]): SloContribution[] {
  return [...contributions].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : a.minute - b.minute));
}
