// Raw-SQL telemetry tables: created by hand-written migrations, absent from schema.prisma, and
// therefore ignored by the schema drift check.
export const TELEMETRY_TABLES: string[] = [];
