import { api, route } from "@/lib/api";
import { getSloDetail } from "@/lib/slo";

export const GET = route(api.sloStatus, ({ params, app }) => getSloDetail(app.db, params.name));
