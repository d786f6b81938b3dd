// Renders an apply diff the way `tailguard apply` shows it before changing anything.
export type DiffSummary = { creates: string[]; updates: { name: string; changedFields: string[] }[]; unchanged: string[]; deletes: string[] };

export function formatDiff(diff: DiffSummary, opts: { prune: boolean }): string[] {
  const lines = [
    ...diff.creates.map((n) => `+ create ${n}`),
    ...diff.updates.map((u) => `~ update ${u.name} (${u.changedFields.join(", ")})`),
    ...diff.deletes.map((n) => (opts.prune ? `- delete ${n}` : `  keep   ${n} (not in the files; --prune would delete it)`)),
  ];
  const changes = diff.creates.length + diff.updates.length + (opts.prune ? diff.deletes.length : 0);
  lines.push(changes === 0 ? `no changes (${diff.unchanged.length} SLO(s) up to date)` : `${changes} change(s), ${diff.unchanged.length} unchanged`);
  return lines;
}

export function hasChanges(diff: DiffSummary, opts: { prune: boolean }): boolean {
  return diff.creates.length + diff.updates.length + (opts.prune ? diff.deletes.length : 0) > 0;
}
