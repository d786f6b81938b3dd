import { describe, expect, it } from "vitest";
import { applySignalTransition, signalFingerprint, type SignalState } from "./signal-state";
import type { SignalCandidate, SignalSeverity } from "./types";

const T0 = 1_800_000_000 - (1_800_000_000 % 60);
const hysteresis = { openAfterPositiveSeconds: 120, resolveAfterNegativeSeconds: 180 };
const candidate = (severity: SignalSeverity = "warning"): SignalCandidate => ({
  kind: "saturation",
  resource: "jobs",
  severity,
  summary: `queue \`jobs\` ${severity}`,
  reasonCodes: ["backlog_growth"],
  evidence: { series: [], figures: {}, exampleJobIds: [] },
});

/**
 * Runs evaluations given as a string, one character each at the given second offsets:
 * "+" warning candidate, "!" critical candidate, "-" nothing. Returns "event@minute" strings and the final state.
 */
function run(script: string, secondsBetween = 60) {
  let state: SignalState | null = null;
  const events: string[] = [];
  [...script].forEach((c, i) => {
    const cand = c === "-" ? null : candidate(c === "!" ? "critical" : "warning");
    const seconds = i * secondsBetween;
    const out = applySignalTransition({ prev: state, candidate: cand, now: new Date((T0 + seconds) * 1000), hysteresis });
    state = out.state;
    for (const e of out.events) events.push(`${e.type}@${Math.floor(seconds / 60)}`);
  });
  return { events, state: state as SignalState | null };
}

describe("applySignalTransition", () => {
  it.each([
    { script: "-----", events: [], phase: null, note: "nothing ever" },
    { script: "+", events: [], phase: "pending", note: "one positive minute is only pending" },
    { script: "+-+-+-+-", events: [], phase: null, note: "alternating never opens (no flapping)" },
    { script: "++", events: ["opened@1"], phase: "open", note: "opens on the second positive minute" },
    { script: "++--", events: ["opened@1"], phase: "open", note: "two negative minutes do not resolve" },
    { script: "++---", events: ["opened@1", "resolved@4"], phase: null, note: "resolves on the third negative minute" },
    { script: "++--+--", events: ["opened@1"], phase: "open", note: "a positive minute restarts the negative count" },
    { script: "++!+", events: ["opened@1", "updated@2", "updated@3"], phase: "open", note: "severity changes emit updates" },
    { script: "++---++", events: ["opened@1", "resolved@4", "opened@6"], phase: "open", note: "re-opens only after N positive minutes again" },
  ])("$note: $script", ({ script, events, phase }) => {
    const got = run(script);
    expect(got.events).toEqual(events);
    expect(got.state?.phase ?? null).toBe(phase);
  });

  it("counts minutes, not calls: twelve positive evaluations within one minute stay pending", () => {
    expect(run("++++++++++++", 5).events).toEqual([]);
    expect(run("++++++++++++" + "+", 5).events).toEqual(["opened@1"]);
  });

  it("counts elapsed minutes for resolution even when evaluations skip minutes", () => {
    let { state } = run("++");
    const out = applySignalTransition({ prev: state, candidate: null, now: new Date((T0 + 2 * 60) * 1000), hysteresis });
    state = out.state;
    const later = applySignalTransition({ prev: state, candidate: null, now: new Date((T0 + 4 * 60) * 1000), hysteresis });
    expect(later.events.map((e) => e.type)).toEqual(["resolved"]);
  });

  it("keeps openedAt and carries the latest evidence into events", () => {
    const { state } = run("++");
    const out = applySignalTransition({ prev: state, candidate: candidate("critical"), now: new Date((T0 + 120) * 1000), hysteresis });
    expect(out.state?.openedAt).toBe(new Date((T0 + 60) * 1000).toISOString());
    expect(out.events[0]).toMatchObject({ type: "updated", severity: "critical", summary: "queue `jobs` critical", openedAt: state?.openedAt });
  });

  it("refuses a candidate for another resource", () => {
    const { state } = run("++");
    const other = { ...candidate(), resource: "emails" };
    expect(() => applySignalTransition({ prev: state, candidate: other, now: new Date(T0 * 1000), hysteresis })).toThrow();
  });
});

describe("signalFingerprint", () => {
  it("is stable, 16 hex digits, and differs by kind and resource", () => {
    const a = signalFingerprint("saturation", "jobs");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(signalFingerprint("saturation", "jobs")).toBe(a);
    expect(signalFingerprint("retry_storm", "jobs")).not.toBe(a);
    expect(signalFingerprint("saturation", "jobs2")).not.toBe(a);
    // FNV-1a 64 of "saturation\0jobs", computed independently; a change here re-keys every stored signal.
    expect(a).toBe("0d850bea7d4da883");
  });
});
