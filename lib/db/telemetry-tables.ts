// Raw-SQL telemetry tables: created by hand-written migrations, absent from schema.prisma, and
// therefore ignored by the schema drift check (which wants schema-qualified names).
export const TELEMETRY_TABLE_NAMES = ["spans", "metric_points", "logs", "span_minute_rollups", "metric_minute_aggregates", "jobs", "flow_rollups"] as const;

export const TELEMETRY_TABLES: string[] = TELEMETRY_TABLE_NAMES.map((t) => `public.${t}`);
