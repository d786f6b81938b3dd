import { describe, expect, it } from "vitest";
import { sloThresholdsByQueue } from "./snapshot";

const base = { objectivePercent: "99", window: { type: "rolling", durationDays: 28 }, service: "worker" };

describe("sloThresholdsByQueue", () => {
  it("takes the tightest job-completion or queue-wait threshold per queue and ignores other SLIs and invalid definitions", () => {
    expect(
      sloThresholdsByQueue([
        { ...base, name: "a", sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 300_000 } },
        { ...base, name: "b", sli: { kind: "queueWait", destination: "jobs", thresholdMs: 60_000 } },
        { ...base, name: "c", sli: { kind: "queueWait", destination: "emails", thresholdMs: 5_000 } },
        { ...base, name: "d", sli: { kind: "availability", selector: { service: "worker" } } },
        { name: "broken" },
      ]),
    ).toEqual({ jobs: 60_000, emails: 5_000 });
  });
});
