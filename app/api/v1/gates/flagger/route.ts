import { api, errorResponse, route } from "@/lib/api";
import { evaluateGate } from "@/lib/gate";

// Flagger reads only the status (2xx passes the check) and logs the body of a failure, so the message names the reasons.
export const POST = route(api.flaggerGate, async ({ body, svc, requestId }) => {
  const result = await evaluateGate(svc, body);
  if (result.decision === "pass") return result;
  const reasons = result.reasons.filter((r) => r.level !== "info").map((r) => r.message);
  return errorResponse(412, "gate_not_passed", `${result.decision}: ${reasons.join("; ")}`, { details: result, requestId });
});
