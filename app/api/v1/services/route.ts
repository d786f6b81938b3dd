import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { servicesOverview } from "@/lib/telemetry/views";

export const GET = route(api.listServices, ({ query, app }) => servicesOverview(app.db.sql, query, Date.now()));
