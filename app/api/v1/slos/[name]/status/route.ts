import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getSloDetail } from "@/lib/slos/status";

export const GET = route(api.sloStatus, ({ params, app }) => getSloDetail(app.db, params.name));
