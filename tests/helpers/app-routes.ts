// The app's routes for tests, from the repository's app/ directory (lib/runtime/app-routes.ts walks it).
import path from "node:path";
import { appRoutes as appRoutesUnder, type AppRoute } from "../../lib/runtime/app-routes";

export type { AppRoute };

const ROOT = path.resolve(import.meta.dirname, "../..");

export function appRoutes(params: Record<string, string> = {}): AppRoute[] {
  return appRoutesUnder(ROOT, params);
}
