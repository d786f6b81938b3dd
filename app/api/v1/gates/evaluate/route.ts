import { api } from "@/lib/api/contract";
import { evaluateGate } from "@/lib/gates/evaluate";
import { route } from "@/lib/http/route";

// 200 whenever an evaluation ran (Argo Rollouts reads `decision`); mode=status is for `curl --fail`.
export const POST = route(api.evaluateGate, async ({ req, body, query, svc }) => {
  const key = req.headers.get("idempotency-key") ?? undefined;
  const result = await evaluateGate(svc, body, { idempotencyKey: key && key.length <= 200 ? key : undefined });
  return Response.json(result, { status: query.mode === "status" && result.decision !== "pass" ? 412 : 200 });
});
