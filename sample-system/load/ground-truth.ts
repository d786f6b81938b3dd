// The ground-truth record of a scenario run: which fault, on which resource, from when to when.
// Detection is judged against this file later.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CanaryFault } from "../canary/release";
import type { FaultKnobs } from "../knobs";
import type { RunSummary } from "./latency-stats";
import type { ScenarioPlan } from "./scenarios";

export type GroundTruth = {
  scenario: string;
  mode: string;
  run: { start: string; end: string; duration_ms: number; base_rate_per_s: number; status: "running" | "finished" | "interrupted" };
  fault: { kind: string; resource: string; description: string; start: string; end: string; knobs: Partial<FaultKnobs> } | null;
  system: { services: string[]; queue: string; api_url: string; metrics_url: string | null };
  /** The canary scenario's releases: a gate's verdict on `version` against `baseline_version` is judged by `fault`. */
  canary: CanaryTruth | null;
  load: RunSummary | null;
};

export type CanaryTruth = {
  service: string;
  baseline_version: string;
  version: string;
  fault: CanaryFault;
  /** The canary fault as applied: service time × factor, share of its jobs failed. */
  settings: { service_time_factor: number; failure_ratio: number };
  /** Share of new jobs routed to the canary from `start`; every attempt of a job stays on its release. */
  share: number;
  queue: string;
  start: string;
  end: string;
};

/** The canary's facts a run knows from the system it drives rather than from the plan. */
export type CanaryReleases = Pick<CanaryTruth, "service" | "baseline_version" | "version" | "settings" | "queue">;

export function groundTruthFor(options: {
  plan: ScenarioPlan;
  startedAtMs: number;
  endedAtMs?: number;
  faultKnobs: Partial<FaultKnobs>;
  system: GroundTruth["system"];
  canary?: CanaryReleases | null;
  load?: RunSummary;
  status: GroundTruth["run"]["status"];
}): GroundTruth {
  const { plan, startedAtMs } = options;
  const iso = (ms: number) => new Date(ms).toISOString();
  const endMs = options.endedAtMs ?? startedAtMs + plan.durationMs;
  return {
    scenario: plan.scenario,
    mode: plan.mode,
    run: { start: iso(startedAtMs), end: iso(endMs), duration_ms: endMs - startedAtMs, base_rate_per_s: plan.baseRatePerS, status: options.status },
    fault: plan.fault
      ? {
          kind: plan.fault.kind,
          resource: plan.fault.resource,
          description: plan.fault.description,
          start: iso(startedAtMs + plan.fault.startOffsetMs),
          // An interrupted run ends the fault early.
          end: iso(Math.min(endMs, startedAtMs + plan.fault.endOffsetMs)),
          knobs: options.faultKnobs,
        }
      : null,
    system: options.system,
    canary:
      plan.canary && options.canary
        ? { ...options.canary, fault: plan.canary.fault, share: plan.canary.share, start: iso(startedAtMs + plan.canary.startOffsetMs), end: iso(Math.max(endMs, startedAtMs + plan.canary.startOffsetMs)) }
        : null,
    load: options.load ?? null,
  };
}

export async function writeGroundTruth(path: string, truth: GroundTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(truth, null, 2)}\n`);
}
