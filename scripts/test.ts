// `npm test`: checks system prerequisites (installing a missing Chromium with apt-get when it
// can), then runs every test — unit and integration (vitest), browser (Playwright against the
// production build) — and ends with one summary line: "tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(title: string, cmd: string, args: string[]): boolean {
  console.log(`\n▶ ${title}: ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env }).status === 0;
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const canApt = process.getuid?.() === 0 && spawnSync("which", ["apt-get"]).status === 0;
  if (!canApt) {
    console.error(`npm test needs Chromium for the browser tests: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(1);
  }
  console.log("Chromium is missing; installing Debian's chromium with apt-get…");
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env: aptEnv });
  const r = spawnSync("apt-get", ["install", "-y", "-q", "chromium"], { stdio: "inherit", env: aptEnv });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    console.error("could not install Chromium with apt-get; install the chromium package and run npm test again");
    process.exit(1);
  }
}

type Counts = { passed: number; failed: number; skipped: number };

function vitestCounts(file: string): Counts {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

function playwrightCounts(file: string): Counts {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
    return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

ensureChromium();
mkdirSync("test-results", { recursive: true });
const generated = run("Prisma client", "npx", ["prisma", "generate", "--no-hints"]);
const unit = run("unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
const built = run("production build", "npx", ["next", "build"]);
const browser = built && run("browser tests", "npx", ["playwright", "test"]);

const v = vitestCounts("test-results/vitest.json");
const p = built ? playwrightCounts("test-results/playwright.json") : { passed: 0, failed: 1, skipped: 0 };
const total = { passed: v.passed + p.passed, failed: v.failed + p.failed + (generated ? 0 : 1) + (built ? 0 : 1), skipped: v.skipped + p.skipped };
console.log(`\nvitest: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped · playwright: ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped · screenshots in test-results/screenshots`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(generated && unit && built && browser && total.failed === 0 ? 0 : 1);
