import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { api } from "./contract";
import { OPERATION_ROUTES_FILE, renderOperationRoutes } from "./operation-routes-source";

it("operation-routes.ts is generated from the current contract (else run `npm run api:routes`)", () => {
  const file = readFileSync(path.resolve(import.meta.dirname, "../../..", OPERATION_ROUTES_FILE), "utf8");
  expect(file).toBe(renderOperationRoutes(api));
});
