// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export { type ApiErrorDetail, type ApiResult, createApiClient, type ResponseOf } from "./client/api-client";
export { jobsApi } from "./core/jobs-contract";
