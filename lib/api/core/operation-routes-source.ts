// Renders lib/api/core/operation-routes.ts from the contract: the method and path of every operation, which the typed
// client needs at run time in the browser and the CLI, where the contract's server-side imports cannot load.
import type { Operation } from "./contract-types";

export const OPERATION_ROUTES_FILE = "lib/api/core/operation-routes.ts";

export function renderOperationRoutes(api: Record<string, Operation>): string {
  const rows = Object.entries(api).map(([name, op]) => `  ${name}: { method: ${JSON.stringify(op.method)}, path: ${JSON.stringify(op.path)} },`);
  return [
    "// Generated from lib/api/core/contract.ts by `npm run api:routes`; lib/api/core/operation-routes.test.ts fails when it is stale.",
    "// The method and path of every API operation, for the typed client (lib/api/client/api-client.ts).",
    "export const operationRoutes = {",
    ...rows,
    "} as const;",
    "",
  ].join("\n");
}
