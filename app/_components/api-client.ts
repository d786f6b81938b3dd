// The console's API client: the contract-typed client (lib/api/client/api-client.ts) on the console's own origin, sending the
// session cookie. Call it with an operation name: `apiCall("createToken", { body })`.
import { createApiClient } from "@/lib/api/browser";

export type { ApiErrorDetail, ApiResult } from "@/lib/api/browser";

export const apiCall = createApiClient();
