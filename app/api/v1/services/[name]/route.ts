import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { serviceDetail } from "@/lib/telemetry/views";

export const GET = route(api.getService, ({ query, app }) => serviceDetail(app.db.sql, query.name, query, Date.now()));
