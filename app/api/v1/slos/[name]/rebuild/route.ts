import { api, route } from "@/lib/api";
import { requestRebuild, rebuildView, getSlo } from "@/lib/slo";
import { recordAudit } from "@/lib/audit/audit";

export const POST = route(api.rebuildSlo, async ({ params, app, svc }) => {
  const slo = await getSlo(app.db, params.name);
  await app.db.prisma.$transaction(async (tx) => {
    await requestRebuild(tx, slo.id);
    await recordAudit(tx, { actor: svc.actor, action: "slo.rebuild", targetType: "slo", targetId: params.name, requestId: svc.requestId });
  });
  return { rebuild: rebuildView(await app.db.prisma.sloRebuild.findUniqueOrThrow({ where: { sloId: slo.id } })) };
});
