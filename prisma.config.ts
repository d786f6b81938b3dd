// Prisma CLI configuration: only `prisma generate` is run through the CLI (migrations use the
// WASM schema engine in lib/db/migrations.ts, which needs no native engine download).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
});
