// `npm run api:routes` rewrites lib/api/core/operation-routes.ts from the API contract.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { api } from "../lib/api/core/contract";
import { OPERATION_ROUTES_FILE, renderOperationRoutes } from "../lib/api/core/operation-routes-source";

const file = path.resolve(import.meta.dirname, "..", OPERATION_ROUTES_FILE);
await writeFile(file, renderOperationRoutes(api));
console.log(`wrote ${OPERATION_ROUTES_FILE} (${Object.keys(api).length} operations)`);
