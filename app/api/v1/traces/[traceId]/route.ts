import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getTrace } from "@/lib/telemetry/trace";

export const GET = route(api.getTrace, async ({ params, app }) => ({ trace: await getTrace(app.db.sql, params.traceId) }));
