import { api, idempotent, route } from "@/lib/api";
import { evaluateGate } from "@/lib/gate";

// 200 whenever an evaluation ran (Argo Rollouts reads `decision`); mode=status is for `curl --fail`.
export const POST = route(api.evaluateGate, async ({ req, body, query, svc }) => {
  const { value, replayed } = await idempotent(svc, { operation: "gate.evaluate", req, body }, (key) => evaluateGate(svc, body, { idempotencyKey: key ?? undefined }));
  const result = { ...value, replayed };
  return Response.json(result, { status: query.mode === "status" && result.decision !== "pass" ? 412 : 200 });
});
