import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { serviceDetail } from "@/lib/telemetry/views";

export const GET = route(api.getService, ({ params, query, app }) => serviceDetail(app.db.sql, params.name, query, Date.now()));
