// Arithmetic on one-figure-per-window lists (newest window first) that keeps gaps as gaps.

/** One figure per sliding window, index k = window k (0 = the newest); null is a gap, never a zero. */
export type WindowValues = (number | null)[];

/** a ÷ b × scale per window; a gap where either is a gap or b is 0. */
export function divideWindows(a: WindowValues, b: WindowValues, scale = 1): WindowValues {
  return a.map((x, k) => {
    const y = b[k] ?? null;
    return x === null || y === null || y === 0 ? null : (x * scale) / y;
  });
}

/** a − b per window; a gap where either is a gap. */
export function subtractWindows(a: WindowValues, b: WindowValues): WindowValues {
  return a.map((x, k) => {
    const y = b[k] ?? null;
    return x === null || y === null ? null : x - y;
  });
}

/** Mean of the present figures of windows [fromK, toK); null when all are gaps. */
export function meanOfWindows(values: WindowValues, fromK: number, toK: number): number | null {
  const present = values.slice(fromK, toK).filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

/** Running total from the oldest window to the newest; a gap stays a gap, and the total restarts after one. */
export function runningTotalFromOldest(values: WindowValues): WindowValues {
  const out: WindowValues = new Array<number | null>(values.length).fill(null);
  let running: number | null = null;
  for (let k = values.length - 1; k >= 0; k--) {
    const v = values[k] ?? null;
    running = v === null ? null : (running ?? 0) + v;
    out[k] = running;
  }
  return out;
}

/** Whether any window has a figure. */
export const hasFigures = (values: WindowValues): boolean => values.some((v) => v !== null);
