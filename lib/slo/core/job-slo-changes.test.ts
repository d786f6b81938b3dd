import { describe, expect, it } from "vitest";
import type { SloRef } from "./span-sli";
import { jobContributionChanges, sortContributions, type JobState } from "./job-slo-changes";

const MIN = 60_000_000_000n;
const slo = { id: "s1", definition: { sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 60_000 } } } as unknown as SloRef;
const job = (over: Partial<JobState>): JobState => ({ jobId: "j", firstSeenUnixNano: 100n * MIN, status: "running", statusTimeUnixNano: 100n * MIN, services: ["api"], queues: ["jobs"], ...over });

describe("job completion contributions from index changes", () => {
  it.each([
    ["a new running job counts nothing", undefined, job({}), []],
    ["finishing in time counts one good job in its minute", job({}), job({ status: "succeeded", statusTimeUnixNano: 100n * MIN + 1n }), [{ sloId: "s1", minute: 100, good: 1, total: 1 }]],
    ["an unchanged finished job counts nothing again", job({ status: "failed" }), job({ status: "failed" }), []],
    [
      "a later success replaces an earlier failure",
      job({ status: "failed", statusTimeUnixNano: 101n * MIN }),
      job({ status: "succeeded", statusTimeUnixNano: 103n * MIN }),
      [{ sloId: "s1", minute: 101, good: -0, total: -1 }, { sloId: "s1", minute: 103, good: 0, total: 1 }],
    ],
  ] as const)("%s", (_name, before, after, expected) => {
    const prev = new Map(before ? [[before.jobId, before]] : []);
    expect(jobContributionChanges([slo], prev, [after])).toEqual(expected);
  });

  it("sorts contributions by SLO and minute so writers lock rows in one order", () => {
    expect(sortContributions([{ sloId: "b", minute: 1, good: 0, total: 1 }, { sloId: "a", minute: 2, good: 0, total: 1 }, { sloId: "a", minute: 1, good: 0, total: 1 }]).map((c) => `${c.sloId}${c.minute}`)).toEqual(["a1", "a2", "b1"]);
  });
});
