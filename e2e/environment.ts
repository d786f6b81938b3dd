// The browser tests' server settings in one place: playwright.config.ts starts the shared server
// with them, and e2e/server.ts starts a fresh one for a spec that needs an empty database.
export type Admin = { email: string; password: string };

/** How a test reaches one Tailguard server. */
export type Tailguard = { baseURL: string; otlpHttpURL: string; token: string; admin: Admin };

export type ServerPorts = { port: number; otlpHttpPort: number; otlpGrpcPort: number };

/** The shared server's console port; OTLP/HTTP and OTLP/gRPC listen on the next two. */
export const SHARED_PORT = Number(process.env.E2E_PORT ?? 3210);
export const SHARED_PORTS: ServerPorts = { port: SHARED_PORT, otlpHttpPort: SHARED_PORT + 1, otlpGrpcPort: SHARED_PORT + 2 };

/**
 * A fresh server's ports: ten above the shared ones, so its screenshots read the same from run to
 * run; free ports when those are taken.
 */
export const FRESH_PORTS: ServerPorts = { port: SHARED_PORT + 10, otlpHttpPort: SHARED_PORT + 11, otlpGrpcPort: SHARED_PORT + 12 };

export const ADMIN: Admin = { email: "admin@e2e.test", password: "e2e-admin-password" };
export const BOOTSTRAP_TOKEN = "e2e_bootstrap_token_0123456789abcdef";

export function tailguardAt(ports: ServerPorts): Tailguard {
  return { baseURL: `http://127.0.0.1:${ports.port}`, otlpHttpURL: `http://127.0.0.1:${ports.otlpHttpPort}`, token: BOOTSTRAP_TOKEN, admin: ADMIN };
}

/** The environment of every e2e server: production build, embedded database in `dataDir`. */
export function serverEnv(ports: ServerPorts, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(ports.port),
    OTLP_HTTP_PORT: String(ports.otlpHttpPort),
    OTLP_GRPC_PORT: String(ports.otlpGrpcPort),
    TAILGUARD_DATA_DIR: dataDir,
    TAILGUARD_ADMIN_EMAIL: ADMIN.email,
    TAILGUARD_ADMIN_PASSWORD: ADMIN.password,
    TAILGUARD_ENGINE_INTERVAL_MS: "1000",
    TAILGUARD_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
    // The webhook browser test runs its receiver on 127.0.0.1.
    TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    TAILGUARD_TEST_PAGES: "true",
    // The gate-recovery test waits for a signal to resolve: 30 s of healthy evaluations instead of 5 min.
    TAILGUARD_DETECTION_THRESHOLDS: JSON.stringify({ defaults: { hysteresis: { resolveAfterNegativeSeconds: 30 } } }),
  };
}
