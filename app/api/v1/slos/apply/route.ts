import { api } from "@/lib/api/contract";
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { importOpenSlo } from "@/lib/slo/openslo";
import { applySlos, validateDefinition } from "@/lib/slos/store";

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
