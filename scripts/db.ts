// `npm run db:migrate` applies pending migrations; `npm run db:new -- <name>` writes a migration
// from schema.prisma changes; `npm run db:check` exits 1 when schema and migrations disagree.
import { loadConfig } from "../lib/config/env";
import { openDatabase } from "../lib/db/client";
import { applyMigrations, createMigration, pendingSchemaChange } from "../lib/db/migrations";
import { TELEMETRY_TABLES } from "../lib/db/telemetry-tables";

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  if (command === "new") {
    if (!name) return fail("usage: npm run db:new -- <lower_snake_case_name>");
    const created = await createMigration(name);
    console.log(created ? `wrote prisma/migrations/${created}/migration.sql` : "schema.prisma and the migrations agree: nothing to write");
    return 0;
  }
  if (command === "check") {
    const change = await pendingSchemaChange(TELEMETRY_TABLES);
    if (!change) {
      console.log("schema.prisma and prisma/migrations agree");
      return 0;
    }
    console.error(`schema.prisma has changes no migration contains; run npm run db:new -- <name>:\n${change}`);
    return 1;
  }
  if (command === "migrate") {
    const config = loadConfig(process.env);
    if (!config.ok) return fail(`invalid configuration:\n  ${config.problems.join("\n  ")}`);
    const db = await openDatabase({ databaseUrl: config.config.DATABASE_URL, dataDir: config.config.TAILGUARD_DATA_DIR });
    try {
      const applied = await applyMigrations(db.sql);
      console.log(applied.length ? `applied ${applied.length} migration(s) to ${db.location}: ${applied.join(", ")}` : `${db.location} is up to date`);
    } finally {
      await db.close();
    }
    return 0;
  }
  return fail("usage: tsx scripts/db.ts migrate | new <name> | check");
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  },
);
