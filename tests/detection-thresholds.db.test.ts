// Detector thresholds through the API: effective values with their origins, per-scope saves that do not clobber each
// other, whole-document replace, validation with the offending path, audit, and a hand-broken document ignored.
import { beforeAll, expect, it } from "vitest";
import * as thresholds from "../app/api/v1/detection/thresholds/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { DEFAULT_THRESHOLDS, stackThresholdLayers, thresholdsForService } from "../lib/signals/core/thresholds";
import { loadThresholdLayers } from "../lib/signals/store/thresholds";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const ENV = { defaults: { hysteresis: { resolveAfterNegativeSeconds: 30 } }, services: { worker: { saturation: { minBacklog: 400 } } } };

describeEachDatabase("detection thresholds API", ({ db }) => {
  let readToken = "";
  let writeToken = "";
  const get = async (service?: string) => {
    const r = await callRoute(thresholds.GET, { path: `/api/v1/detection/thresholds${service ? `?service=${encodeURIComponent(service)}` : ""}`, token: readToken });
    expect(r.status).toBe(200);
    return api.getDetectionThresholds.response.parse(r.json);
  };
  const patch = (body: unknown, token = writeToken) => callRoute(thresholds.PATCH, { method: "PATCH", path: "/api/v1/detection/thresholds", body, token });
  const put = (body: unknown) => callRoute(thresholds.PUT, { method: "PUT", path: "/api/v1/detection/thresholds", body, token: writeToken });

  beforeAll(async () => {
    installTestApp(db(), { TAILGUARD_DETECTION_THRESHOLDS: JSON.stringify(ENV) });
    const svc = { db: db(), actor: SYSTEM_ACTOR };
    readToken = (await createToken(svc, { name: "r", scopes: ["read"] })).secret;
    writeToken = (await createToken(svc, { name: "w", scopes: ["write"] })).secret;
  });

  it("shows the built-in defaults and the environment's overrides before anything is saved", async () => {
    const view = await get("worker");
    expect(view).toMatchObject({ updatedAt: null, storedError: null, services: ["worker"], console: { defaults: {}, services: {} } });
    expect(view.effective.thresholds.saturation.minBacklog).toBe(400);
    expect(view.effective.origins.saturation!.minBacklog).toEqual({ source: "environment", scope: "service" });
    expect(view.effective.origins.hysteresis!.resolveAfterNegativeSeconds).toEqual({ source: "environment", scope: "all services" });
    expect(view.effective.thresholds.retryStorm).toEqual(DEFAULT_THRESHOLDS.retryStorm);
    expect(view.effective.origins.retryStorm!.minAmplification).toEqual({ source: "built-in", scope: "all services" });
  });

  it("refuses a save without the write scope, and a bad value with the path of the field, saving nothing", async () => {
    expect((await patch({ service: "api", overrides: { saturation: { minBacklog: 5 } } }, readToken)).status).toBe(403);
    const bad = await patch({ service: "api", overrides: { saturation: { minBacklog: -1 }, hysteresis: { openAfterPostiveSeconds: 60 } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/overrides\.saturation\.minBacklog: must be at least 0/);
    expect(bad.json.error.message).toMatch(/overrides\.hysteresis: no such threshold: openAfterPostiveSeconds/);
    expect((await patch({ service: "", overrides: {} })).status).toBe(400);
    expect((await get()).updatedAt).toBeNull();
    expect(await db().prisma.auditLog.count({ where: { action: { startsWith: "detection.thresholds" } } })).toBe(0);
  });

  it("saves one scope at a time; concurrent saves of different services both stay", async () => {
    const results = await Promise.all([
      patch({ service: "api", overrides: { saturation: { drainMinutes: 5 } } }),
      patch({ service: "worker", overrides: { hysteresis: { openAfterPositiveSeconds: 60 } } }),
      patch({ service: null, overrides: { saturation: { minBacklog: 150 } } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const view = await get("worker");
    expect(view.console).toEqual({
      defaults: { saturation: { minBacklog: 150 } },
      services: { api: { saturation: { drainMinutes: 5 } }, worker: { hysteresis: { openAfterPositiveSeconds: 60 } } },
    });
    expect(view.services).toEqual(["api", "worker"]);
    // The service's own environment override still beats the console's all-services one.
    expect(view.effective.thresholds.saturation.minBacklog).toBe(400);
    expect(view.effective.thresholds.hysteresis.openAfterPositiveSeconds).toBe(60);
    expect(view.effective.origins.hysteresis!.openAfterPositiveSeconds).toEqual({ source: "console", scope: "service" });
    expect((await get("api")).effective.origins.saturation!.minBacklog).toEqual({ source: "console", scope: "all services" });

    const audit = await db().prisma.auditLog.findMany({ where: { action: "detection.thresholds.save" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.targetId).sort()).toEqual(["*", "api", "worker"]);
    expect(audit.every((a) => a.actorName === "w")).toBe(true);

    // What the engine runs with agrees with what the console shows.
    const { layers } = await loadThresholdLayers(db(), ENV as never);
    expect(thresholdsForService(stackThresholdLayers(layers), "worker")).toEqual(view.effective.thresholds);
  });

  it("an empty scope resets it", async () => {
    const r = await patch({ service: "api", overrides: {} });
    expect(r.status).toBe(200);
    expect(api.saveScopeThresholds.response.parse(r.json).console.services).not.toHaveProperty("api");
    expect((await get("api")).effective.origins.saturation!.drainMinutes).toEqual({ source: "built-in", scope: "all services" });
  });

  it("replaces the whole document, refusing a misspelt threshold with its path", async () => {
    const bad = await put({ defaults: {}, services: { worker: { retryStorm: { minAmplifcation: 2 } } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^services\.worker\.retryStorm: no such threshold: minAmplifcation/);
    const doc = { defaults: { cacheStampede: { minLookups: 120 } }, services: { "feature-store": { retryStorm: { minAmplification: 2 } } } };
    const ok = await put(doc);
    expect(ok.status).toBe(200);
    expect(ok.json.console).toEqual(doc);
    expect(ok.json.effective.thresholds.cacheStampede.minLookups).toBe(120);
    expect(await db().prisma.auditLog.count({ where: { action: "detection.thresholds.replace" } })).toBe(1);
  });

  it("a document broken by hand is reported and ignored, not applied", async () => {
    await db().prisma.setting.update({ where: { key: "detection.thresholds" }, data: { value: JSON.stringify({ defaults: { saturation: { minBacklog: "lots" } } }) } });
    const view = await get();
    expect(view.storedError).toMatch(/defaults\.saturation\.minBacklog: must be a number/);
    expect(view.console).toEqual({ defaults: {}, services: {} });
    expect(view.effective.thresholds.saturation.minBacklog).toBe(DEFAULT_THRESHOLDS.saturation.minBacklog);
    // Saving again repairs it.
    expect((await patch({ service: null, overrides: { saturation: { minBacklog: 50 } } })).status).toBe(200);
    expect((await get()).storedError).toBeNull();
  });
});
