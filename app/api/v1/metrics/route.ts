import { api, route } from "@/lib/api";
import { metricOverview } from "@/lib/telemetry";

export const GET = route(api.metricSeries, ({ query, app }) => metricOverview(app.db.sql, query, Date.now()));
