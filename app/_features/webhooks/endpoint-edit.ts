// The edit form's values, and the PATCH body built from them: only the changed fields, checked with the API's schema.
import type { ApiErrorDetail } from "@/lib/api/browser";
import { WebhookEndpointPatch, type WebhookEndpointView } from "@/lib/webhooks/browser";

export type EndpointFormValues = { name: string; url: string; events: string[]; services: string; format: string; enabled: boolean; maxAttempts: string };
export type EndpointField = keyof EndpointFormValues;
export type FieldErrors = Partial<Record<EndpointField, string>>;

const FIELDS: EndpointField[] = ["name", "url", "events", "services", "format", "enabled", "maxAttempts"];

export function endpointToFormValues(e: WebhookEndpointView): EndpointFormValues {
  return { name: e.name, url: e.url, events: e.events, services: e.services.join(", "), format: e.format, enabled: e.enabled, maxAttempts: String(e.maxAttempts) };
}

export function splitServices(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

// Sending only what changed keeps the audit entry honest and re-checks the URL only when it was edited.
export function endpointPatchFromForm(current: WebhookEndpointView, values: EndpointFormValues): { ok: true; patch: WebhookEndpointPatch } | { ok: false; errors: FieldErrors } {
  const parsed = WebhookEndpointPatch.safeParse({ ...values, services: splitServices(values.services), maxAttempts: Number(values.maxAttempts) });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as EndpointField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (JSON.stringify(value) !== JSON.stringify(current[key as keyof WebhookEndpointView])) patch[key] = value;
  }
  return { ok: true, patch: patch as WebhookEndpointPatch };
}

/** The API's field errors (`body.url` from the URL guard, `body.events.0` from validation) placed beside their fields. */
export function fieldErrorsOfApi(details: readonly ApiErrorDetail[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of details) {
    const name = /^(?:body\.)?(\w+)/.exec(d.path ?? "")?.[1];
    const field = FIELDS.find((f) => f === name);
    if (field && d.message) errors[field] ??= d.message;
  }
  return errors;
}
