import { api, route } from "@/lib/api";
import { importOpenSlo, applySlos, validateDefinition } from "@/lib/slo";
import { DomainError } from "@/lib/errors";

export const POST = route(api.applySlos, async ({ body, svc }) => {
  let desired;
  if (body.yaml !== undefined) {
    const imported = importOpenSlo(body.yaml);
    if (!imported.ok) throw new DomainError("invalid", imported.reason, imported.issues);
    desired = imported.definitions;
  } else {
    desired = (body.definitions ?? []).map((d) => validateDefinition(d));
  }
  const { diff, applied, pruned } = await applySlos(svc, desired, { dryRun: body.dryRun, prune: body.prune });
  return {
    diff: {
      creates: diff.creates.map((d) => d.name),
      updates: diff.updates.map((u) => ({ name: u.name, changedFields: u.changedFields })),
      unchanged: diff.unchanged,
      deletes: diff.deletes.map((d) => d.name),
    },
    applied,
    pruned,
  };
});
