import { api, route } from "@/lib/api";
import { serviceDetail } from "@/lib/telemetry";

export const GET = route(api.getService, ({ params, query, app }) => serviceDetail(app.db.sql, params.name, query, Date.now()));
