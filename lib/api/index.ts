// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export { type ApiErrorDetail, type ApiResult, createApiClient, type ResponseOf } from "./client/api-client";
export { consoleParam, consoleSearch, type RawSearchParams } from "./core/console-search";
export { api } from "./core/contract";
export { jobsApi } from "./core/jobs-contract";
export { openApiDocument } from "./core/openapi";
export { addressLimitKey, clientAddress } from "./http/client-address";
export { readCookie } from "./http/cookies";
export { idempotent } from "./http/idempotency-store";
export { errorResponse, route } from "./http/route";
