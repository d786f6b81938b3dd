import { api, route } from "@/lib/api";
import { getTrace } from "@/lib/telemetry";

export const GET = route(api.getTrace, async ({ params, app }) => ({ trace: await getTrace(app.db.sql, params.traceId) }));
