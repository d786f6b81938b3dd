// Builds the OpenAPI 3.1 document from the API contract's zod schemas.
import { z } from "zod";
import { api, ErrorBody, type Operation } from "./contract";

function schema(t: z.ZodType, io: "input" | "output") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(t, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function parameters(t: z.ZodType, where: "path" | "query") {
  const s = schema(t, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({ name, in: where, ...(where === "path" || s.required?.includes(name) ? { required: true } : {}), schema: p }));
}

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, op] of Object.entries(api) as [string, Operation][]) {
    const params = op.params ? parameters(op.params, "path") : [];
    const queryParams = op.query ? parameters(op.query, "query") : [];
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      operationId: name,
      summary: op.summary,
      security: op.scope === "public" ? [] : [{ bearer: [] }, { session: [] }],
      "x-tailguard-scope": op.scope,
      parameters: [...params, ...queryParams],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(op.body, "input") } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: "OK", content: { "application/json": { schema: schema(op.response, "output") } } },
        default: { description: "Error", content: { "application/json": { schema: schema(ErrorBody, "output") } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Tailguard API", version },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (tg_…) with the scope the operation names" },
        session: { type: "apiKey", in: "cookie", name: "tg_session" },
      },
    },
    paths,
  };
}
