// The threshold editor's form: one text box per threshold, blank meaning "inherit". Pure, so it is tested without a browser.
import type { ApiErrorDetail } from "@/lib/api/browser";
import { DETECTORS, DEFAULT_THRESHOLDS, thresholdIssueMessage, type ThresholdOverrides, ThresholdOverridesSchema } from "@/lib/signals/browser";

/** Keys are `detector.field`, e.g. `saturation.minBacklog`. */
export type ThresholdFormValues = Record<string, string>;
export type ThresholdFieldErrors = Record<string, string>;

export const FIELD_KEYS: string[] = DETECTORS.flatMap((d) => Object.keys(DEFAULT_THRESHOLDS[d]).map((f) => `${d}.${f}`));

export function overridesToForm(overrides: ThresholdOverrides | undefined): ThresholdFormValues {
  const values: ThresholdFormValues = Object.fromEntries(FIELD_KEYS.map((k) => [k, ""]));
  for (const d of DETECTORS) {
    for (const [f, v] of Object.entries(overrides?.[d] ?? {})) if (v !== undefined) values[`${d}.${f}`] = String(v);
  }
  return values;
}

export function formToOverrides(values: ThresholdFormValues): { ok: true; overrides: ThresholdOverrides } | { ok: false; errors: ThresholdFieldErrors } {
  const errors: ThresholdFieldErrors = {};
  const raw: Record<string, Record<string, number>> = {};
  for (const key of FIELD_KEYS) {
    const text = (values[key] ?? "").trim();
    if (text === "") continue;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      errors[key] = "must be a number";
      continue;
    }
    const [d, f] = key.split(".") as [string, string];
    (raw[d] ??= {})[f] = value;
  }
  const parsed = ThresholdOverridesSchema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.map(String).join(".")] ??= thresholdIssueMessage(issue);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, overrides: parsed.success ? parsed.data : {} };
}

/** The API names the field of each problem (`overrides.saturation.minBacklog`); put each beside its box. */
export function fieldErrorsFromApi(details: readonly ApiErrorDetail[]): ThresholdFieldErrors {
  const errors: ThresholdFieldErrors = {};
  for (const d of details) {
    const key = /^(?:body\.)?overrides\.(\w+\.\w+)$/.exec(d.path ?? "")?.[1];
    if (key && d.message && FIELD_KEYS.includes(key)) errors[key] ??= d.message;
  }
  return errors;
}

/** How a value reads in the table: ratios of at most 1 also as a percentage. */
export function thresholdValueLabel(value: number, unit: string): string {
  if (unit === "ratio") return value <= 1 ? `${value} (${+(value * 100).toFixed(1)} %)` : String(value);
  if (unit === "×") return `${value}×`;
  return `${value} ${unit}`;
}
