import { describe, expect, it } from "vitest";
import { ByteBudget } from "./byte-budget";

describe("ByteBudget", () => {
  it("caps the total and each client's share; the first holder of either may exceed it", () => {
    const budget = new ByteBudget(100, 40);
    // a takes 30, then 20 more would make 50 > 40: refused. b takes 40 (its first bytes, 70 in all).
    expect([budget.tryTake(30, "a"), budget.tryTake(20, "a"), budget.tryTake(40, "b")]).toEqual([true, false, true]);
    // c's first 50 would make 120 > 100 with others holding: refused; 30 fits exactly.
    expect([budget.tryTake(50, "c"), budget.tryTake(30, "c"), budget.inUseBytes, budget.clientsHolding]).toEqual([false, true, 100, 3]);
    // Alone, one request larger than both limits still passes, so the largest allowed request is never refused.
    const empty = new ByteBudget(100, 40);
    expect(empty.tryTake(500, "a")).toBe(true);
  });

  it("forgets a client once it gives back all it held", () => {
    const budget = new ByteBudget(100, 40);
    budget.tryTake(10, "a");
    budget.tryTake(15, "a");
    budget.give(10, "a");
    expect([budget.inUseBytes, budget.clientsHolding]).toEqual([15, 1]);
    budget.give(15, "a");
    expect([budget.inUseBytes, budget.clientsHolding]).toEqual([0, 0]);
  });
});
