/** What `tailguard apply` would change: desired definitions against current ones, by name, with the changed fields. */
import type { SloDefinition } from "./definition";

export type DefinitionUpdate = { name: string; changedFields: string[]; current: SloDefinition; desired: SloDefinition };
export type DefinitionDiff = {
  creates: SloDefinition[];
  updates: DefinitionUpdate[];
  unchanged: string[];
  /** Present now, absent from the desired set; the caller decides whether to prune them. */
  deletes: SloDefinition[];
};

/** Both inputs are parsed definitions (defaults applied), so equal meaning is equal structure. Results are sorted by name. */
export function diffDefinitions(current: readonly SloDefinition[], desired: readonly SloDefinition[]): DefinitionDiff {
  const currentByName = new Map(current.map((d) => [d.name, d]));
  const desiredNames = new Set(desired.map((d) => d.name));
  const diff: DefinitionDiff = { creates: [], updates: [], unchanged: [], deletes: [] };
  for (const wanted of [...desired].sort(byName)) {
    const existing = currentByName.get(wanted.name);
    if (!existing) {
      diff.creates.push(wanted);
      continue;
    }
    const changedFields = changedPaths(existing, wanted, "");
    if (changedFields.length === 0) diff.unchanged.push(wanted.name);
    else diff.updates.push({ name: wanted.name, changedFields, current: existing, desired: wanted });
  }
  diff.deletes = [...current].filter((d) => !desiredNames.has(d.name)).sort(byName);
  return diff;
}

function byName(a: SloDefinition, b: SloDefinition): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Leaf paths that differ ("sli.thresholdMs", "labels.team", "alertPolicy.burnRateRules.1.burnRate"); a changed SLI kind is reported as "sli". */
function changedPaths(a: unknown, b: unknown, path: string): string[] {
  if (Object.is(a, b)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (!isRecord(a) || !isRecord(b) || Array.isArray(a) !== Array.isArray(b)) return [path || "(root)"];
  const kindA = (a as { kind?: unknown }).kind;
  const typeA = (a as { type?: unknown }).type;
  if (kindA !== (b as { kind?: unknown }).kind || typeA !== (b as { type?: unknown }).type) return [path || "(root)"];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => {
    if (a[key] === undefined && b[key] === undefined) return [];
    return changedPaths(a[key], b[key], path ? `${path}.${key}` : key);
  });
}
