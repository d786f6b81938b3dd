// Lookups of a snapshot's rows by a key (bucket, service, metric name), built once per pass: a pass asks for
// the same few rows hundreds of times, and scanning every row on each ask was most of its cost.

/** Each key's row positions in `rows`, ascending. */
export function positionsBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, number[]> {
  const out = new Map<K, number[]>();
  rows.forEach((row, i) => {
    const key = keyOf(row);
    const list = out.get(key);
    if (list) list.push(i);
    else out.set(key, [i]);
  });
  return out;
}

/** Items grouped by a key, each group in the items' order. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/**
 * The rows at these groups of positions, in the order of `rows`: the same rows, in the same order, as the
 * filter they replace, so folds over them add in the same order and floating-point sums stay identical.
 */
export function rowsAt<T>(rows: readonly T[], groups: readonly (readonly number[])[]): T[] {
  const positions = groups.length === 1 ? (groups[0] ?? []) : groups.flat();
  const ordered = isAscending(positions) ? positions : [...positions].sort((a, b) => a - b);
  const out: T[] = [];
  for (const i of ordered) {
    const row = rows[i];
    if (row !== undefined) out.push(row);
  }
  return out;
}

function isAscending(positions: readonly number[]): boolean {
  for (let i = 1; i < positions.length; i++) if ((positions[i] ?? 0) < (positions[i - 1] ?? 0)) return false;
  return true;
}

/** A value computed on first use and kept: a lookup only some detectors need costs nothing to the others. */
export function lazily<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: compute() }).v;
}
