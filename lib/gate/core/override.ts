// Release-gate overrides: an administrator's audited exception that lets a release pass for a while.
import type { GateDecision } from "./decide";

export interface GateOverrideInput {
  id: string;
  /** Services the override covers; every requested service must be among them. */
  services: string[];
  /** Only this version, or any when null. */
  version: string | null;
  reason: string;
  createdBy: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Whether `override` covers a release of `services` at `version` at `now`. */
export function overrideCovers(override: GateOverrideInput, request: { services: string[]; version: string | null }, now: Date): boolean {
  if (override.revokedAt !== null || override.expiresAt <= now) return false;
  if (override.version !== null && override.version !== request.version) return false;
  return request.services.length > 0 && request.services.every((s) => override.services.includes(s));
}

/**
 * A decision other than pass becomes pass, keeping every original reason (downgraded to info, so the
 * record still says what the gate found) after one reason naming who overrode it, why and until when.
 */
export function applyOverride(decision: GateDecision, override: GateOverrideInput): GateDecision {
  if (decision.decision === "pass") return decision;
  return {
    ...decision,
    decision: "pass",
    reasons: [
      {
        code: "overridden",
        level: "info",
        subject: { type: "scope", name: override.services.join(",") },
        message: `Overridden by ${override.createdBy} until ${override.expiresAt.toISOString()}: "${override.reason}". Without the override the gate would have answered ${decision.decision}.`,
      },
      ...decision.reasons.map((r) => ({ ...r, level: "info" as const, code: `${r.code}_overridden` })),
    ],
  };
}
