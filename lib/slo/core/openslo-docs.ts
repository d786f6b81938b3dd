/** The subset of OpenSLO v1 objects Tailguard reads and writes, as zod schemas, and OpenSLO duration shorthand ("5m", "28d"). */
import { z } from "zod";

export const OPENSLO_API_VERSION = "openslo/v1";

/** Annotations that carry what OpenSLO has no field for. */
export const ANNOTATION = {
  owner: "tailguard.dev/owner",
  forMinutes: "tailguard.dev/for-minutes",
  noDataMinutes: "tailguard.dev/no-data-minutes",
  budgetExhausted: "tailguard.dev/budget-exhausted",
  shortWindow: "tailguard.dev/short-window",
  budgetConsumedPercent: "tailguard.dev/budget-consumed-percent",
} as const;

/** OpenSLO v1 labels are lists of values; a plain string is accepted too. */
const Labels = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const Metadata = z.looseObject({
  name: z.string({ error: "name is required" }).min(1, "name must not be empty"),
  displayName: z.string().optional(),
  labels: Labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Metadata = z.output<typeof Metadata>;

export const MetricSource = z.looseObject({
  type: z.string({ error: "type is required" }),
  metricSourceRef: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).default({}),
});

const MetricSourceHolder = z.looseObject({ metricSource: MetricSource });

export const SliSpec = z
  .looseObject({
    description: z.string().optional(),
    thresholdMetric: MetricSourceHolder.optional(),
    ratioMetric: z
      .looseObject({
        counter: z.boolean().optional(),
        good: MetricSourceHolder.optional(),
        bad: MetricSourceHolder.optional(),
        total: MetricSourceHolder,
      })
      .optional(),
  })
  .refine((s) => (s.thresholdMetric === undefined) !== (s.ratioMetric === undefined), {
    message: "give exactly one of thresholdMetric or ratioMetric",
  });
export type SliSpec = z.output<typeof SliSpec>;

export const InlineSli = z.looseObject({ metadata: Metadata, spec: SliSpec });

export const AlertConditionSpec = z.looseObject({
  description: z.string().optional(),
  severity: z.string({ error: "severity is required" }),
  condition: z.looseObject({
    kind: z.literal("burnrate", { error: "kind must be burnrate" }),
    op: z.enum(["gte", "gt"], { error: "op must be gte or gt" }).default("gte"),
    threshold: z.number({ error: "threshold must be a number" }),
    lookbackWindow: z.string({ error: "lookbackWindow is required" }),
    alertAfter: z.string().optional(),
  }),
});
export const InlineAlertCondition = z.looseObject({ kind: z.literal("AlertCondition").optional(), metadata: Metadata, spec: AlertConditionSpec });

export const AlertPolicySpec = z.looseObject({
  description: z.string().optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z.array(z.union([z.looseObject({ conditionRef: z.string() }), InlineAlertCondition])).default([]),
});
export type AlertPolicySpec = z.output<typeof AlertPolicySpec>;
export const InlineAlertPolicy = z.looseObject({ kind: z.literal("AlertPolicy").optional(), metadata: Metadata, spec: AlertPolicySpec });

export const SloSpec = z.looseObject({
  description: z.string().optional(),
  service: z.string({ error: "service is required" }).min(1),
  indicator: InlineSli.optional(),
  indicatorRef: z.string().optional(),
  budgetingMethod: z.enum(["Occurrences", "Timeslices"], { error: "budgetingMethod must be Occurrences or Timeslices" }).default("Occurrences"),
  timeWindow: z
    .array(
      z.looseObject({
        duration: z.string({ error: "duration is required" }),
        isRolling: z.boolean().default(false),
        calendar: z.looseObject({ startTime: z.string().optional(), timeZone: z.string().default("UTC") }).optional(),
      }),
    )
    .length(1, "timeWindow must have exactly one entry"),
  objectives: z
    .array(
      z.looseObject({
        displayName: z.string().optional(),
        op: z.enum(["lte", "lt", "gte", "gt"]).optional(),
        value: z.number().optional(),
        target: z.number().optional(),
        targetPercent: z.number().optional(),
        timeSliceTarget: z.number().optional(),
        timeSliceWindow: z.string().optional(),
      }),
    )
    .length(1, "Tailguard supports exactly one objective per SLO"),
  alertPolicies: z
    .array(z.union([z.string(), z.looseObject({ alertPolicyRef: z.string() }), InlineAlertPolicy]))
    .default([]),
});
export type SloSpec = z.output<typeof SloSpec>;

export const ServiceSpec = z.looseObject({ description: z.string().optional() }).default({});

const DURATION = /^(\d+)(m|h|d|w)$/;
const MINUTES_PER_UNIT = { m: 1, h: 60, d: 1440, w: 10080 } as const;

/** "5m" → 5, "1h" → 60, "28d" → 40320, "1w" → 10080; null for anything else (months have no fixed length). */
export function durationToMinutes(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * MINUTES_PER_UNIT[match[2] as keyof typeof MINUTES_PER_UNIT];
}

/** The largest exact unit, days at most: 4320 → "3d", 90 → "90m". */
export function minutesToDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
