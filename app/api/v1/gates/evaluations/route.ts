import { api, route } from "@/lib/api";
import { listGateEvaluations } from "@/lib/gate";

export const GET = route(api.listGateEvaluations, async ({ query, app }) => ({ evaluations: await listGateEvaluations(app.db, query) }));
