import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { listSloOverview } from "@/lib/slos/status";
import { createSlo } from "@/lib/slos/store";

export const GET = route(api.listSlos, async ({ query, app }) => ({ slos: await listSloOverview(app.db, { service: query.service }) }));

export const POST = route(api.createSlo, async ({ body, svc }) => ({ slo: await createSlo(svc, body) }));
