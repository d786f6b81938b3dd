// Worker releases for a canary: what the canary is (version, fault, size) and how each worker
// release (baseline or canary) behaves. Pure: the system, the scenario and the tests read it alike.
import { z } from "zod";
import { scaleServiceTime, type ServiceTime } from "../worker/service-time";

export const CANARY_FAULTS = ["slow", "errors", "none"] as const;
export type CanaryFault = (typeof CANARY_FAULTS)[number];
export type ReleaseRole = "baseline" | "canary";

export const CanarySchema = z.object({
  /** The canary's service.version; `<baseline version>-canary` when absent. */
  version: z.string().min(1).optional(),
  /** Share of new jobs routed to the canary once it takes traffic (the rollout weight). */
  share: z.number().min(0).max(1).default(0.2),
  fault: z.enum(CANARY_FAULTS).default("slow"),
  /** Canary worker instances; ceil(share × baseline workers), at least one, when absent. */
  workers: z.number().int().min(1).max(64).optional(),
  /** Seeds the job routing and the canary's failure draws, so a run can be repeated. */
  seed: z.number().int().default(1),
});
export type CanaryInput = z.input<typeof CanarySchema>;
export type Canary = z.output<typeof CanarySchema>;

/** What a release does differently from the baseline's code: its fault, as settings. */
export type ReleaseFault = { serviceTimeFactor: number; failureRatio: number };

// Markedly worse yet within a demo's capacity: 2.5× service time keeps a 20 % canary's one worker
// below saturation at the default rates; 10 % failures is far past any sane error budget.
export const CANARY_FAULT_SETTINGS: Record<CanaryFault, ReleaseFault> = {
  none: { serviceTimeFactor: 1, failureRatio: 0 },
  slow: { serviceTimeFactor: 2.5, failureRatio: 0 },
  errors: { serviceTimeFactor: 1, failureRatio: 0.1 },
};

/** The canary's queue: the API's weighted route sends the canary's share of new jobs there. */
export function canaryQueueName(queueName: string): string {
  return `${queueName}.canary`;
}

export function canaryVersionOf(system: { serviceVersion: string; canary: Canary | null }): string | null {
  return system.canary ? (system.canary.version ?? `${system.serviceVersion}-canary`) : null;
}

/** Sized like a rollout with traffic routing sizes it: the weight's share of the stable replicas. */
export function canaryWorkerCount(system: { workers: number; canary: Canary | null }): number {
  if (!system.canary) return 0;
  return system.canary.workers ?? Math.max(1, Math.ceil(system.canary.share * system.workers));
}

export type WorkerRelease = {
  role: ReleaseRole;
  serviceVersion: string;
  /** The queue this release's workers consume (and retry and dead-letter through). */
  queueName: string;
  serviceTime: ServiceTime;
  failureRatio: number;
  /** Seed of the release's failure draws. */
  seed: number;
};

export type ReleaseSource = { serviceVersion: string; queueName: string; serviceTime: ServiceTime; workers: number; canary: Canary | null };

export function workerRelease(system: ReleaseSource, role: ReleaseRole): WorkerRelease {
  if (role === "baseline" || !system.canary) {
    if (role === "canary") throw new Error("no canary is configured");
    return { role, serviceVersion: system.serviceVersion, queueName: system.queueName, serviceTime: system.serviceTime, failureRatio: 0, seed: system.canary?.seed ?? 1 };
  }
  const fault = CANARY_FAULT_SETTINGS[system.canary.fault];
  return {
    role,
    serviceVersion: canaryVersionOf(system) as string,
    queueName: canaryQueueName(system.queueName),
    serviceTime: scaleServiceTime(system.serviceTime, fault.serviceTimeFactor),
    failureRatio: fault.failureRatio,
    seed: system.canary.seed + 1,
  };
}

/** Which release a new job goes to: the canary with probability `share`, one draw per job. */
export function pickRelease(random: () => number, share: number): ReleaseRole {
  return share > 0 && random() < share ? "canary" : "baseline";
}
