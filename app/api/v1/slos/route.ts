import { api, route } from "@/lib/api";
import { listSloOverview, createSlo } from "@/lib/slo";

export const GET = route(api.listSlos, async ({ query, app }) => ({ slos: await listSloOverview(app.db, { service: query.service }) }));

export const POST = route(api.createSlo, async ({ body, svc }) => ({ slo: await createSlo(svc, body) }));
