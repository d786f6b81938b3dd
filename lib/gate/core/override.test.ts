import { describe, expect, it } from "vitest";
import type { GateDecision } from "./decide";
import { applyOverride, type GateOverrideInput, overrideCovers } from "./override";

const NOW = new Date("2026-11-23T12:00:00Z");
const override = (o: Partial<GateOverrideInput> = {}): GateOverrideInput => ({
  id: "o1", services: ["api", "worker"], version: null, reason: "hotfix for the checkout outage", createdBy: "admin@example.com",
  expiresAt: new Date(NOW.getTime() + 3600_000), revokedAt: null, ...o,
});
const failed: GateDecision = {
  decision: "fail", evaluatedAt: NOW.toISOString(),
  reasons: [{ code: "budget_exhausted", level: "fail", message: "spent", subject: { type: "slo", name: "api-availability" }, figure: -0.1, threshold: 0 }],
};

describe("gate overrides", () => {
  it.each([
    { note: "covers one listed service", req: { services: ["api"], version: "1.2" }, o: {}, covers: true },
    { note: "covers all listed services", req: { services: ["api", "worker"], version: "1.2" }, o: {}, covers: true },
    { note: "not a service it does not list", req: { services: ["api", "billing"], version: "1.2" }, o: {}, covers: false },
    { note: "not a request naming no service", req: { services: [], version: "1.2" }, o: {}, covers: false },
    { note: "only its version", req: { services: ["api"], version: "1.3" }, o: { version: "1.2" }, covers: false },
    { note: "its version", req: { services: ["api"], version: "1.2" }, o: { version: "1.2" }, covers: true },
    { note: "not once expired", req: { services: ["api"], version: null }, o: { expiresAt: NOW }, covers: false },
    { note: "not once revoked", req: { services: ["api"], version: null }, o: { revokedAt: NOW }, covers: false },
  ])("$note", ({ req, o, covers }) => {
    expect(overrideCovers(override(o), req, NOW)).toBe(covers);
  });

  it("turns a failure into a pass that says who, why, until when and what the gate found", () => {
    const got = applyOverride(failed, override());
    expect(got.decision).toBe("pass");
    expect(got.reasons[0]).toMatchObject({ code: "overridden", level: "info" });
    expect(got.reasons[0]?.message).toContain('"hotfix for the checkout outage"');
    expect(got.reasons[0]?.message).toContain("would have answered fail");
    expect(got.reasons[1]).toMatchObject({ code: "budget_exhausted_overridden", level: "info", figure: -0.1, threshold: 0 });
  });

  it("leaves a pass alone", () => {
    const pass: GateDecision = { decision: "pass", evaluatedAt: NOW.toISOString(), reasons: [] };
    expect(applyOverride(pass, override())).toBe(pass);
  });
});
