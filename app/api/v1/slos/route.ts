import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { createSlo, listSlos } from "@/lib/slos/store";

export const GET = route(api.listSlos, async ({ query, app }) => ({ slos: await listSlos(app.db, { service: query.service }) }));

export const POST = route(api.createSlo, async ({ body, svc }) => ({ slo: await createSlo(svc, body) }));
