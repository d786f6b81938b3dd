// The console's fetch wrapper for the JSON API: returns data or the API's error message.
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function apiCall<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) return { ok: false, status: res.status, message: json?.error?.message ?? `request failed (${res.status})` };
    return { ok: true, data: json as T };
  } catch (err) {
    return { ok: false, status: 0, message: `network error: ${(err as Error).message}` };
  }
}
