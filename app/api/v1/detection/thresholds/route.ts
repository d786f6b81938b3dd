import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { describeThresholds, saveConsoleThresholds, saveScopeThresholds } from "@/lib/signals/threshold-store";

export const GET = route(api.getDetectionThresholds, async ({ query, app }) => describeThresholds(app.db, app.config.TAILGUARD_DETECTION_THRESHOLDS, query.service ?? null));

export const PUT = route(api.replaceDetectionThresholds, async ({ query, body, svc, app }) => {
  await saveConsoleThresholds(svc, body);
  return describeThresholds(app.db, app.config.TAILGUARD_DETECTION_THRESHOLDS, query.service ?? null);
});

export const PATCH = route(api.saveScopeThresholds, async ({ body, svc, app }) => {
  await saveScopeThresholds(svc, body.service, body.overrides);
  return describeThresholds(app.db, app.config.TAILGUARD_DETECTION_THRESHOLDS, body.service);
});
