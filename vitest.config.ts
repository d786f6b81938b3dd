import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Pure domain tests (`*.test.ts` beside the code) and integration tests (`tests/`) in one run.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "engine/**/*.test.ts", "server/**/*.test.ts", "tests/**/*.test.ts", "collector/**/*.test.ts", "sample-system/**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
