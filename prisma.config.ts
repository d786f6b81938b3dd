// Prisma CLI configuration. Only `prisma generate` runs through the CLI; migrations use the WASM
// schema engine (lib/db/migrations.ts). The CLI insists on locating a native schema engine, which
// cannot be downloaded here and which `generate` never runs, so it is pointed at a stand-in file.
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ||= "package.json";

export default defineConfig({
  schema: "prisma/schema.prisma",
});
