import { describe, expect, it } from "vitest";
import { loadConfig } from "./env";

describe("loadConfig", () => {
  it("gives working defaults for a local demo", () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ PORT: 3000, OTLP_HTTP_PORT: 4318, OTLP_GRPC_PORT: 4317, TAILGUARD_ROLE: "all", ingestAuth: "open", runsWeb: true, runsIngest: true, runsEngine: true });
  });

  it.each([
    [{ NODE_ENV: "production" }, "required", true],
    [{ NODE_ENV: "production", TAILGUARD_INGEST_AUTH: "open" }, "open", true],
    [{ NODE_ENV: "development" }, "open", false],
  ])("closes ingestion and secures cookies in production: %j", (env, ingestAuth, secureCookies) => {
    const r = loadConfig(env);
    expect(r.ok && r.config.ingestAuth).toBe(ingestAuth);
    expect(r.ok && r.config.secureCookies).toBe(secureCookies);
  });

  it.each([
    ["web", [true, false, false]],
    ["ingest", [false, true, false]],
    ["engine", [false, false, true]],
  ])("role %s runs only its part", (role, [web, ingest, engine]) => {
    const r = loadConfig({ TAILGUARD_ROLE: role });
    expect(r.ok && [r.config.runsWeb, r.config.runsIngest, r.config.runsEngine]).toEqual([web, ingest, engine]);
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL: must be a postgres:// or postgresql:// URL"],
    [{ PORT: "70000" }, "PORT:"],
    [{ TAILGUARD_ROLE: "worker" }, "TAILGUARD_ROLE:"],
    [{ TAILGUARD_ADMIN_PASSWORD: "short" }, "TAILGUARD_ADMIN_PASSWORD: must be at least 12 characters"],
    [{ TAILGUARD_BOOTSTRAP_TOKEN: "has spaces in it which is not allowed" }, "TAILGUARD_BOOTSTRAP_TOKEN:"],
  ])("names the bad variable: %j", (env, problem) => {
    const r = loadConfig(env);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join("\n")).toContain(problem);
  });

  it("treats empty strings as unset", () => {
    const r = loadConfig({ DATABASE_URL: "", PORT: "" });
    expect(r.ok && r.config.DATABASE_URL).toBeUndefined();
  });
});
