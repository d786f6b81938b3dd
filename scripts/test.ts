// `npm test`: checks system prerequisites (installing missing Chromium or Prometheus with apt-get
// when it can), then runs every test — unit and integration (vitest), browser (Playwright against the
// production build) — and ends with one summary line: "tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Debian packages the tests need, by the file that shows each is installed.
const PREREQUISITES = [
  { file: CHROMIUM, pkg: "chromium", why: "the browser tests" },
  { file: "/usr/bin/promtool", pkg: "prometheus", why: "checking generated Prometheus rules and the Prometheus cross-check" },
  { file: "/usr/bin/prometheus-alertmanager", pkg: "prometheus-alertmanager", why: "the Prometheus + Alertmanager integration test" },
];
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(title: string, cmd: string, args: string[]): boolean {
  console.log(`\n▶ ${title}: ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env }).status === 0;
}

function ensurePrerequisites(): void {
  const missing = PREREQUISITES.filter((p) => !existsSync(p.file));
  if (missing.length === 0) return;
  const names = missing.map((m) => m.pkg);
  const canApt = process.getuid?.() === 0 && spawnSync("which", ["apt-get"]).status === 0;
  if (!canApt) {
    for (const m of missing) console.error(`npm test needs ${m.file} for ${m.why}: install it (Debian: sudo apt-get install ${m.pkg})`);
    process.exit(1);
  }
  console.log(`installing missing Debian packages with apt-get: ${names.join(", ")}`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env: aptEnv });
  const r = spawnSync("apt-get", ["install", "-y", "-q", ...names], { stdio: "inherit", env: aptEnv });
  const still = missing.filter((m) => !existsSync(m.file));
  if (r.status !== 0 || still.length > 0) {
    console.error(`could not install ${still.map((m) => m.pkg).join(", ")} with apt-get; install it and run npm test again`);
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

ensurePrerequisites();
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
