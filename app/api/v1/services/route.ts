import { api, route } from "@/lib/api";
import { servicesOverview } from "@/lib/telemetry";

export const GET = route(api.listServices, ({ query, app }) => servicesOverview(app.db.sql, query, Date.now()));
