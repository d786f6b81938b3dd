// The ground-truth record of a scenario run: which fault, on which resource, from when to when.
// Detection is judged against this file later.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FaultKnobs } from "../knobs";
import type { RunSummary } from "./latency-stats";
import type { ScenarioPlan } from "./scenarios";

export type GroundTruth = {
  scenario: string;
  mode: string;
  run: { start: string; end: string; duration_ms: number; base_rate_per_s: number; status: "running" | "finished" | "interrupted" };
  fault: { kind: string; resource: string; description: string; start: string; end: string; knobs: Partial<FaultKnobs> } | null;
  system: { services: string[]; queue: string; api_url: string; metrics_url: string | null };
  load: RunSummary | null;
};

export function groundTruthFor(options: {
  plan: ScenarioPlan;
  startedAtMs: number;
  endedAtMs?: number;
  faultKnobs: Partial<FaultKnobs>;
  system: GroundTruth["system"];
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
    load: options.load ?? null,
  };
}

export async function writeGroundTruth(path: string, truth: GroundTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(truth, null, 2)}\n`);
}
