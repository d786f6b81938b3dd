/** Zod schemas and types for an SLO definition: the one shape the API, the console, the YAML and the engine share. */
import { z } from "zod";
import { compileLabelRegex } from "./label-regex";
import { formatObjectivePercent, parseObjectivePercent, type Objective } from "./objective";

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_.\/-]{0,62}$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.\/-]*$/;

export const MatcherOp = z.enum(["=", "!=", "=~", "!~"], { error: "op must be one of =, !=, =~, !~" });
export type MatcherOp = z.infer<typeof MatcherOp>;

/** Prometheus-style matcher; regex operators are RE2, anchored like PromQL's (lib/slo/core/label-regex.ts). */
export const AttributeMatcher = z
  .object({ key: z.string().min(1, "key must not be empty"), op: MatcherOp.default("="), value: z.string() })
  .superRefine((m, ctx) => {
    if (m.op !== "=~" && m.op !== "!~") return;
    const compiled = compileLabelRegex(m.value);
    if (!compiled.ok) ctx.addIssue({ code: "custom", path: ["value"], message: `value ${compiled.reason}` });
  });
export type AttributeMatcher = z.output<typeof AttributeMatcher>;

export const SpanKind = z.enum(["server", "client", "producer", "consumer", "internal"], {
  error: "spanKind must be one of server, client, producer, consumer, internal",
});

export const SpanSelector = z.object({
  service: z.string().min(1, "service must not be empty"),
  spanName: z.string().min(1).optional(),
  route: z.string().min(1).optional(),
  spanKind: SpanKind.optional(),
  attributes: z.array(AttributeMatcher).default([]),
});
export type SpanSelector = z.output<typeof SpanSelector>;

const thresholdMs = z.number({ error: "thresholdMs must be a number" }).positive("thresholdMs must be greater than 0");

const MetricQuery = z.object({
  metric: z.string().regex(METRIC_NAME, "metric must be a metric name such as http_requests_total"),
  matchers: z.array(AttributeMatcher).default([]),
});
export type MetricQuery = z.output<typeof MetricQuery>;

export const Sli = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("availability"), selector: SpanSelector, treat5xxAsError: z.boolean().default(true) }),
    z.object({ kind: z.literal("latency"), selector: SpanSelector, thresholdMs }),
    z
      .object({
        kind: z.literal("jobCompletion"),
        selector: SpanSelector.optional(),
        service: z.string().min(1).optional(),
        queue: z.string().min(1).optional(),
        thresholdMs,
      })
      .refine((s) => s.selector || s.service || s.queue, { message: "jobCompletion needs a selector, a service or a queue" }),
    z.object({
      kind: z.literal("queueWait"),
      destination: z.string().min(1, "destination must name a queue"),
      thresholdMs,
    }),
    z.object({ kind: z.literal("metricRatio"), good: MetricQuery, total: MetricQuery }),
  ],
  { error: "kind must be one of availability, latency, jobCompletion, queueWait, metricRatio" },
);
export type Sli = z.output<typeof Sli>;
export type SliKind = Sli["kind"];

export const SloWindow = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("rolling"),
      durationDays: z.union([z.literal(7), z.literal(28), z.literal(30)], { error: "durationDays must be 7, 28 or 30" }),
    }),
    z.object({ type: z.literal("calendarMonth"), timeZone: z.literal("UTC", { error: "timeZone must be UTC" }).default("UTC") }),
  ],
  { error: "type must be rolling or calendarMonth" },
);
export type SloWindow = z.output<typeof SloWindow>;

export const Budgeting = z.discriminatedUnion(
  "method",
  [
    z.object({ method: z.literal("occurrences") }),
    z.object({
      method: z.literal("timeslices"),
      sliceMinutes: z.number().int("sliceMinutes must be a whole number").min(1).max(60),
      sliceThresholdRatio: z.number().gt(0, "sliceThresholdRatio must be greater than 0").max(1, "sliceThresholdRatio must be at most 1"),
    }),
  ],
  { error: "method must be occurrences or timeslices" },
);
export type Budgeting = z.output<typeof Budgeting>;

/** The longest SLO window (30 days); alert windows are checked against their own SLO's window in SloDefinition. */
export const MAX_WINDOW_MINUTES = 30 * 1440;
// Each tick sums every alert window, so a window is bounded before it reaches the engine's arrays and SQL.
const windowMinutes = (field: string) =>
  z
    .number({ error: `${field} must be a number of minutes` })
    .int(`${field} must be a whole number of minutes`)
    .positive(`${field} must be greater than 0`)
    .max(MAX_WINDOW_MINUTES, `${field} must be at most ${MAX_WINDOW_MINUTES} (30 days)`);

/** A burn-rate rule fires when both windows burn at least the threshold; the threshold is given directly or as budget consumed. */
export const BurnRateRule = z
  .object({
    severity: z.enum(["page", "ticket"], { error: "severity must be page or ticket" }),
    longWindowMinutes: windowMinutes("longWindowMinutes"),
    shortWindowMinutes: windowMinutes("shortWindowMinutes"),
    burnRate: z.number().positive().optional(),
    budgetConsumedPercent: z.number().positive().max(100).optional(),
  })
  .refine((r) => (r.burnRate === undefined) !== (r.budgetConsumedPercent === undefined), {
    message: "give exactly one of burnRate or budgetConsumedPercent",
  })
  .refine((r) => r.shortWindowMinutes < r.longWindowMinutes, {
    message: "shortWindowMinutes must be shorter than longWindowMinutes",
    path: ["shortWindowMinutes"],
  });
export type BurnRateRule = z.output<typeof BurnRateRule>;

/** SRE workbook defaults as budget consumed when they fire: on a 30-day window these are 14.4×, 6×, 3× and 1×. */
export const DEFAULT_BURN_RATE_RULES: BurnRateRule[] = [
  { severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, budgetConsumedPercent: 2 },
  { severity: "page", longWindowMinutes: 360, shortWindowMinutes: 30, budgetConsumedPercent: 5 },
  { severity: "ticket", longWindowMinutes: 1440, shortWindowMinutes: 120, budgetConsumedPercent: 10 },
  { severity: "ticket", longWindowMinutes: 4320, shortWindowMinutes: 360, budgetConsumedPercent: 10 },
];

export const AlertPolicy = z.object({
  burnRateRules: z.array(BurnRateRule).default(() => DEFAULT_BURN_RATE_RULES.map((r) => ({ ...r }))),
  forMinutes: z.number().int().min(0).default(0),
  /** null turns the no-data alert off. */
  noDataMinutes: z.number().int().positive().nullable().default(60),
  budgetExhausted: z.boolean().default(true),
});
export type AlertPolicy = z.output<typeof AlertPolicy>;

const ObjectivePercent = z.union([z.string(), z.number()], { error: "objectivePercent must be a number such as 99.9" }).transform((value, ctx) => {
  const parsed = parseObjectivePercent(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.reason.replace(/^objective/, "objectivePercent") });
    return z.NEVER;
  }
  return formatObjectivePercent(parsed.objective);
});

export const SloDefinition = z.object({
  name: z.string().regex(SLUG, "name must be a lowercase slug (a-z, 0-9, '-', at most 63 characters)"),
  displayName: z.string().min(1).max(200).optional(),
  service: z.string().min(1, "service must not be empty").max(255),
  description: z.string().max(2000).default(""),
  owner: z.string().min(1).max(200).optional(),
  labels: z
    .record(z.string().regex(LABEL_KEY, "label keys are letters, digits, '_', '.', '/', '-'"), z.string().max(255))
    .default({}),
  sli: Sli,
  /** Canonical decimal text after parsing ("99.9"), so it is stored and shown exactly as written. */
  objectivePercent: ObjectivePercent,
  window: SloWindow,
  budgeting: Budgeting.default({ method: "occurrences" }),
  alertPolicy: AlertPolicy.default(() => AlertPolicy.parse({})),
}).superRefine((d, ctx) => {
  const sloWindowMinutes = nominalWindowMinutes(d.window);
  d.alertPolicy.burnRateRules.forEach((rule, i) => {
    if (rule.longWindowMinutes <= sloWindowMinutes) return;
    ctx.addIssue({ code: "custom", path: ["alertPolicy", "burnRateRules", i, "longWindowMinutes"], message: `longWindowMinutes must be at most the SLO window (${sloWindowMinutes} minutes)` });
  });
});
export type SloDefinition = z.output<typeof SloDefinition>;
export type SloDefinitionInput = z.input<typeof SloDefinition>;

export type FieldIssue = { field: string; message: string };
export type DefinitionResult = { ok: true; definition: SloDefinition } | { ok: false; reason: string; issues: FieldIssue[] };

/** Issues from zod as "field: message", with paths like sli.selector.service or alertPolicy.burnRateRules.0.burnRate. */
export function zodIssuesToFieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return { field: [prefix, path].filter(Boolean).join(".") || "(root)", message: issue.message };
  });
}

export function parseSloDefinition(input: unknown): DefinitionResult {
  const parsed = SloDefinition.safeParse(input);
  if (parsed.success) return { ok: true, definition: parsed.data };
  const issues = zodIssuesToFieldIssues(parsed.error);
  return { ok: false, reason: issues.map((i) => `${i.field}: ${i.message}`).join("; "), issues };
}

/** The exact objective of a parsed definition. */
export function definitionObjective(definition: SloDefinition): Objective {
  const parsed = parseObjectivePercent(definition.objectivePercent);
  if (!parsed.ok) throw new Error(`unparsed definition ${definition.name}: ${parsed.reason}`);
  return parsed.objective;
}

/** Nominal window length used to turn "budget consumed" into a burn-rate factor; a calendar month counts as 30 days, as Sloth and Pyrra do. */
export function nominalWindowMinutes(window: SloWindow): number {
  return (window.type === "rolling" ? window.durationDays : 30) * 1440;
}
