import { api, route } from "@/lib/api";
import { describeThresholds, loadConsoleThresholds, saveConsoleThresholds, saveScopeThresholds } from "@/lib/signals";

export const GET = route(api.getDetectionThresholds, async ({ query, app }) =>
  describeThresholds(await loadConsoleThresholds(app.db), app.config.TAILGUARD_DETECTION_THRESHOLDS, query.service ?? null));

export const PUT = route(api.replaceDetectionThresholds, async ({ query, body, svc, app }) =>
  describeThresholds(await saveConsoleThresholds(svc, body), app.config.TAILGUARD_DETECTION_THRESHOLDS, query.service ?? null));

export const PATCH = route(api.saveScopeThresholds, async ({ body, svc, app }) =>
  describeThresholds(await saveScopeThresholds(svc, body.service, body.overrides), app.config.TAILGUARD_DETECTION_THRESHOLDS, body.service));
