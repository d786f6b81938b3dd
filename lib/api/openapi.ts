// Builds the OpenAPI 3.1 document from the API contract's zod schemas.
import { z } from "zod";
import { api, ErrorBody, type Operation } from "./contract";

function schema(t: z.ZodType, io: "input" | "output") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(t, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, op] of Object.entries(api) as [string, Operation][]) {
    const params = op.path.match(/\{(\w+)\}/g)?.map((p) => ({ name: p.slice(1, -1), in: "path", required: true, schema: { type: "string" } })) ?? [];
    const queryParams =
      op.method === "GET" && op.query
        ? Object.entries((schema(op.query, "input").properties ?? {}) as Record<string, unknown>).map(([n, s]) => ({ name: n, in: "query", schema: s }))
        : [];
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
