// The typed client of the REST API, shared by the console and the CLI: an operation is named as in the contract,
// its path parameters, query and body are typed by the contract's zod schemas, its response by the response schema,
// and a refusal keeps the API's `error.details` so a form can place each problem beside its field.
import type { z } from "zod";
import type { Api } from "../core/contract";
import { operationRoutes } from "../core/operation-routes";

export type OperationId = keyof Api;

type SchemaOf<Op, K extends "params" | "query" | "body"> = Op extends { [P in K]: infer S extends z.ZodType } ? S : undefined;
type Part<S, K extends string> = S extends z.ZodType
  ? {} extends z.input<S>
    ? { [P in K]?: z.input<S> }
    : { [P in K]: z.input<S> }
  : { [P in K]?: undefined };

/** What a call sends: `params` (the path's `{name}`s), `query` and `body` as the contract's schemas accept them. */
export type CallInput<K extends OperationId> = Part<SchemaOf<Api[K], "params">, "params"> &
  Part<SchemaOf<Api[K], "query">, "query"> &
  Part<SchemaOf<Api[K], "body">, "body"> & { headers?: Record<string, string> };
export type ResponseOf<K extends OperationId> = z.output<Api[K]["response"]>;

/** One problem the API named: `path` from request validation (`body.overrides.x`), `field` (and `documentIndex`) from OpenSLO. */
export type ApiErrorDetail = { path?: string; field?: string; documentIndex?: number; message?: string };
export type ApiError = { status: number; code: string; message: string; details: ApiErrorDetail[]; requestId?: string };
export type ApiResult<T> = { ok: true; status: number; data: T } | ({ ok: false } & ApiError);

export type ApiClient = <K extends OperationId>(operation: K, ...input: {} extends CallInput<K> ? [CallInput<K>?] : [CallInput<K>]) => Promise<ApiResult<ResponseOf<K>>>;

export type ApiClientOptions = {
  /** Absolute server URL for the CLI; the console leaves it out and calls its own origin. */
  baseUrl?: string;
  /** An API token (`tg_…`) sent as `Authorization: Bearer`; the console uses its session cookie instead. */
  token?: string;
  fetch?: typeof fetch;
};

// The typed table must cover exactly the contract's operations, with the same methods (paths: operation-routes.test.ts).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const coversContract: Equal<keyof typeof operationRoutes, OperationId> = true;
void coversContract;
operationRoutes satisfies { [K in OperationId]: { method: Api[K]["method"]; path: string } };

/** The URL of an operation: its path with `params` filled in, and every defined `query` field as a search parameter. */
export function operationUrl(operation: OperationId, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const path = operationRoutes[operation].path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name] ?? "")));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(key, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return (async (operation: OperationId, input: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> } = {}) => {
    const route = operationRoutes[operation];
    const url = operationUrl(operation, input.params, input.query);
    const headers: Record<string, string> = { ...input.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (input.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(options.baseUrl ? new URL(url, options.baseUrl) : url, {
        method: route.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        credentials: "same-origin",
      });
    } catch (err) {
      return { ok: false, status: 0, code: "network", message: `network error: ${(err as Error).message}`, details: [] };
    }
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    const payload: unknown = isJson ? await res.json().catch(() => null) : await res.text().catch(() => "");
    if (res.ok) return { ok: true, status: res.status, data: payload };
    return { ok: false, status: res.status, ...apiErrorOf(payload, res) };
  }) as ApiClient;
}

/** The `{ error: { code, message, details, requestId } }` body of a refusal, with whatever the server left out filled in. */
function apiErrorOf(payload: unknown, res: Response): Omit<ApiError, "status"> {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === "string" ? error.code : `http_${res.status}`,
    message: typeof error?.message === "string" ? error.message : `request failed (${res.status}${res.statusText ? ` ${res.statusText}` : ""})`,
    details: Array.isArray(error?.details) ? error.details.flatMap(detailOf) : [],
    ...(typeof error?.requestId === "string" ? { requestId: error.requestId } : {}),
  };
}

function detailOf(raw: unknown): ApiErrorDetail[] {
  if (typeof raw !== "object" || raw === null) return [];
  const d = raw as Record<string, unknown>;
  // A zod issue passed through as is carries its path as an array.
  const path = typeof d.path === "string" ? d.path : Array.isArray(d.path) ? d.path.map(String).join(".") : undefined;
  return [{
    ...(path === undefined ? {} : { path }),
    ...(typeof d.field === "string" ? { field: d.field } : {}),
    ...(typeof d.documentIndex === "number" ? { documentIndex: d.documentIndex } : {}),
    ...(typeof d.message === "string" ? { message: d.message } : {}),
  }];
}
