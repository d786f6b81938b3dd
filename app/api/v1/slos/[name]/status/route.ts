import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getSloDetail } from "@/lib/slos/status";

export const GET = route(api.sloStatus, ({ query, app }) => getSloDetail(app.db, query.name));
