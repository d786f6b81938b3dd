import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { metricOverview } from "@/lib/telemetry/views";

export const GET = route(api.metricSeries, ({ query, app }) => metricOverview(app.db.sql, query, Date.now()));
