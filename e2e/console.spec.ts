import { expect, submitLogin, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

test("a wrong password is refused with a message", async ({ page, tailguard }) => {
  await page.goto("/login");
  await submitLogin(page, { email: tailguard.admin.email, password: "not-the-password" });
  await expect(page.getByRole("alert").filter({ hasText: "wrong email or password, or the account is disabled" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/login-refused.png` });
});

test("repeated wrong passwords lock the account and the form says how long to wait", async ({ page }) => {
  // An account of its own: the admin account and this client address stay usable for the other tests.
  await page.goto("/login");
  await page.getByLabel("Email").fill("locked-out@e2e.test");
  const statuses: number[] = [];
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel("Password").fill(`guess-${attempt}`);
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login")), page.getByRole("button", { name: "Log in" }).click()]);
    statuses.push(answer.status());
  }
  // Five wrong passwords spend the account's allowance; the fifth locks it, and the lock holds.
  expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  await expect(page.getByRole("alert").filter({ hasText: /too many attempts, try again in \d+ s/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/login-locked.png` });
});

test("create a token, use it, revoke it", async ({ loggedInPage: page, request }) => {
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill("e2e-pipeline");
  await form.getByLabel("gate").check();
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent()) ?? "";
  expect(secret).toMatch(/^tg_/);
  await page.screenshot({ path: `${SHOTS}/token-created.png`, fullPage: true });

  const ok = await request.get("/api/v1/status", { headers: { authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);

  const row = page.getByTestId("token-row").filter({ hasText: "e2e-pipeline" });
  await expect(row.getByText("active")).toBeVisible();
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  const refused = await request.get("/api/v1/status", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);

  await page.reload();
  await expect(page.getByTestId("audit-row").filter({ hasText: "token.revoke" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/token-revoked.png`, fullPage: true });
});

test("the server reports its own health and metrics", async ({ request }) => {
  expect((await request.get("/healthz")).status()).toBe(200);
  const ready = await request.get("/readyz");
  expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok" } });
  const metrics = await (await request.get("/metrics")).text();
  expect(metrics).toContain("tailguard_http_request_duration_seconds_bucket");
  expect(metrics).toContain("tailguard_engine_tick_duration_seconds");
  expect(metrics).toContain("tailguard_process_cpu_seconds_total");
  const openapi = await (await request.get("/api/v1/openapi.json")).json();
  expect(openapi.paths["/api/v1/tokens"].post["x-tailguard-scope"]).toBe("admin");
});
