// Monthly range partitions for the jobs table: names and bounds around a given time.
export type MonthPartition = { name: string; fromIso: string; toIso: string };

function monthStartUtc(year: number, monthIndex: number): Date {
  return new Date(Date.UTC(year, monthIndex, 1));
}

/** Partitions from `monthsBack` months before `now` to `monthsAhead` after it, oldest first. */
export function monthlyPartitions(options: { now: Date; monthsBack: number; monthsAhead: number; table: string }): MonthPartition[] {
  const { now, monthsBack, monthsAhead, table } = options;
  const partitions: MonthPartition[] = [];
  for (let offset = -monthsBack; offset <= monthsAhead; offset++) {
    const from = monthStartUtc(now.getUTCFullYear(), now.getUTCMonth() + offset);
    const to = monthStartUtc(from.getUTCFullYear(), from.getUTCMonth() + 1);
    const month = String(from.getUTCMonth() + 1).padStart(2, "0");
    partitions.push({ name: `${table}_${from.getUTCFullYear()}_${month}`, fromIso: from.toISOString(), toIso: to.toISOString() });
  }
  return partitions;
}
