import { describe, expect, it } from "vitest";
import { applyAlertTransition, evaluateSloAlerts, initialAlertState, noDataAlertEvaluation, type AlertState, type AlertStatus, type ResolveMode } from "./alert-state";
import { computeBudget } from "./budget";
import { evaluateBurnRates } from "./burn-rate";
import { AlertPolicy, type SloWindow } from "./definition";
import { parseObjectivePercent } from "./objective";
import type { MinuteRollup } from "./series";

const T0 = new Date("2026-03-15T12:00:00Z");
const minutesAfter = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe("applyAlertTransition", () => {
  it.each([
    // prev status, minutes in that status, conditionMet, clearMet, forMinutes → next status, notifications
    ["inactive", 0, false, true, 0, "inactive", []],
    ["inactive", 0, true, false, 0, "firing", ["firing"]],
    ["inactive", 0, true, false, 5, "pending", []],
    ["pending", 4, true, false, 5, "pending", []],
    ["pending", 5, true, false, 5, "firing", ["firing"]],
    ["pending", 2, false, true, 5, "inactive", []],
    ["firing", 30, true, false, 0, "firing", []],
    ["firing", 30, false, false, 0, "firing", []], // condition gone, not yet clear: hysteresis holds
    ["firing", 30, false, true, 0, "resolved", ["resolved"]],
    ["resolved", 10, false, true, 0, "resolved", []],
    ["resolved", 10, true, false, 0, "firing", ["firing"]],
  ] as const)("%s (%i min) met=%s clear=%s for=%i → %s", (status, minutesInStatus, conditionMet, clearMet, forMinutes, next, notifications) => {
    const prev: AlertState = { ...initialAlertState("burnRate", "page"), status: status as AlertStatus, statusSinceAt: T0, firedAt: status === "firing" ? T0 : null };
    const now = minutesAfter(minutesInStatus);
    const result = applyAlertTransition({ prev, evaluation: { conditionMet, clearMet, summary: "s", values: {} }, now, forMinutes });
    expect(result.state.status).toBe(next);
    expect(result.changed).toBe(next !== status);
    expect(result.notifications.map((n) => n.type)).toEqual(notifications);
    if (next !== status) expect(result.state.statusSinceAt).toEqual(now);
  });

  it("a resolved notification carries when the alert fired", () => {
    const prev: AlertState = { ...initialAlertState("noData", "ticket"), status: "firing", statusSinceAt: T0, firedAt: T0 };
    const result = applyAlertTransition({ prev, evaluation: noDataAlertEvaluation(0, 60), now: minutesAfter(90) });
    expect(result.notifications).toEqual([
      { type: "resolved", kind: "noData", severity: "ticket", at: minutesAfter(90), firedAt: T0, summary: "no data for 0 minutes", values: { minutesSinceLastData: 0 } },
    ]);
    expect(result.state.resolvedAt).toEqual(minutesAfter(90));
  });
});

describe("evaluateSloAlerts over an incident", () => {
  const objective = (() => {
    const r = parseObjectivePercent("99.9");
    if (!r.ok) throw new Error(r.reason);
    return r.objective;
  })();
  const window: SloWindow = { type: "rolling", durationDays: 30 };
  const policy = AlertPolicy.parse({});
  const t0Minute = T0.getTime() / 60_000;
  /** 1,000 requests a minute from 3 days before T0 to `untilMinute`; 10 % fail in [T0, T0 + 20 min). */
  const traffic = (untilMinute: number): MinuteRollup[] => {
    const rows: MinuteRollup[] = [];
    for (let m = -4320; m <= untilMinute; m++) rows.push({ minuteUnix: (t0Minute + m) * 60, good: m >= 0 && m < 20 ? 900 : 1000, total: 1000 });
    return rows;
  };
  const tick = (prev: Record<string, AlertState>, minute: number, resolveMode?: ResolveMode, rollups = traffic(minute)) => {
    const now = new Date(minutesAfter(minute).getTime() + 30_000);
    const burn = evaluateBurnRates({ rollups, objective, rules: policy.burnRateRules, window, now });
    const budget = computeBudget({ rollups, window, objective, budgeting: { method: "occurrences" }, now });
    return evaluateSloAlerts({ prev, burn, budget, policy, now, resolveMode });
  };

  it("pages at 10 minutes, holds while the 1 h window burns, resolves once both windows are below", () => {
    // Minute 9: 1,000 bad of 60,000 in 1 h = 16.7× ≥ 14.4, 5 m = 100× → page.
    const fired = tick({}, 9);
    expect(fired.states["burnRate:page"]!.status).toBe("firing");
    expect(fired.notifications.map((n) => `${n.type}:${n.kind}:${n.severity}`)).toEqual(["firing:burnRate:page"]);
    // Minute 26: the fix is 7 minutes old, 5 m is 0× but 1 h is 33×: still firing, no flapping.
    const holding = tick(fired.states, 26);
    expect(holding.states["burnRate:page"]!.status).toBe("firing");
    expect(holding.notifications).toEqual([]);
    // Minute 80: 1 h and 5 m are 0×; 6 h is 5.6× < 6 and 30 m is 0×: resolved.
    const resolved = tick(holding.states, 80);
    expect(resolved.states["burnRate:page"]!.status).toBe("resolved");
    expect(resolved.notifications.map((n) => n.type)).toEqual(["resolved"]);
    expect(resolved.states["burnRate:ticket"]!.status).toBe("inactive");
  });

  it("with resolveMode shortWindowBelow it resolves as soon as the short windows are quiet", () => {
    const fired = tick({}, 9, "shortWindowBelow");
    // Minute 26: 30 m still holds 14 spike minutes (1,400 / 30,000 = 46.7× ≥ 6) and 6 h is 5.6×: the 6 h pair is not firing.
    const resolved = tick(fired.states, 26, "shortWindowBelow");
    expect(resolved.states["burnRate:page"]!.status).toBe("resolved");
  });

  it("no data for 60 minutes is its own alert, and resolves when data returns", () => {
    const quiet = traffic(-61); // last data 61 minutes before minute 0
    const noData = tick({}, 0, undefined, quiet);
    expect(noData.states.noData!.status).toBe("firing");
    expect(noData.states["burnRate:page"]!.status).toBe("inactive");
    const back = tick(noData.states, 0, undefined, [...quiet, { minuteUnix: t0Minute * 60, good: 5, total: 5 }]);
    expect(back.states.noData!.status).toBe("resolved");
  });

  it("budget exhausted fires when nothing is left", () => {
    const rollups: MinuteRollup[] = [{ minuteUnix: t0Minute * 60, good: 0, total: 100_000 }];
    const result = tick({}, 0, undefined, rollups);
    expect(result.states.budgetExhausted!.status).toBe("firing");
  });
});
