import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { deleteSlo, getSlo, replaceSlo } from "@/lib/slos/store";

export const GET = route(api.getSlo, async ({ query, app }) => ({ slo: await getSlo(app.db, query.name) }));

export const PUT = route(api.replaceSlo, async ({ query, body, svc }) => ({ slo: await replaceSlo(svc, query.name, body) }));

export const DELETE = route(api.deleteSlo, async ({ query, svc }) => {
  await deleteSlo(svc, query.name);
  return { deleted: query.name };
});
