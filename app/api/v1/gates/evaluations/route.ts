import { api } from "@/lib/api/contract";
import { listGateEvaluations } from "@/lib/gates/evaluate";
import { route } from "@/lib/http/route";

export const GET = route(api.listGateEvaluations, async ({ query, app }) => ({ evaluations: await listGateEvaluations(app.db, query) }));
