import { api, route } from "@/lib/api";
import { deleteSlo, getSlo, replaceSlo } from "@/lib/slo";

export const GET = route(api.getSlo, async ({ params, app }) => ({ slo: await getSlo(app.db, params.name) }));

export const PUT = route(api.replaceSlo, async ({ params, body, svc }) => ({ slo: await replaceSlo(svc, params.name, body) }));

export const DELETE = route(api.deleteSlo, async ({ params, svc }) => {
  await deleteSlo(svc, params.name);
  return { deleted: params.name };
});
