// Fixtures for the browser tests: the Tailguard server a test talks to, a console page already logged
// in, and an API client holding the bootstrap token. Specs import `test` and `expect` from here.
// A spec whose assertions need an empty install, or whose load must reach no one else, asks for a
// server of its own with `test.use({ ownServer: "<name>" })` at the top of its file. Each name is a
// distinct worker option value, so Playwright gives that file a worker, and so a server and a
// database, that no other spec shares.
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import { SHARED_PORTS, tailguardAt, type Admin, type Tailguard } from "./environment";
import { startFreshServer } from "./server";

export { expect };
export type { Tailguard };

/** Fills and submits the login form the page shows. */
export async function submitLogin(page: Page, admin: Admin): Promise<void> {
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Logs in through the console as a user would: "/" sends an anonymous visitor to the login page. */
export async function logIn(page: Page, admin: Admin): Promise<void> {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await submitLogin(page, admin);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

type WorkerFixtures = { ownServer: string | undefined; tailguard: Tailguard };
type TestFixtures = { loggedInPage: Page; api: APIRequestContext };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  ownServer: [undefined, { scope: "worker", option: true }],
  tailguard: [
    async ({ ownServer }, use) => {
      if (ownServer === undefined) return use(tailguardAt(SHARED_PORTS));
      const server = await startFreshServer({ label: ownServer, readyTimeoutMs: 120_000 });
      try {
        await use(server.tailguard);
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 150_000 },
  ],
  baseURL: async ({ tailguard }, use) => use(tailguard.baseURL),
  loggedInPage: async ({ page, tailguard }, use) => {
    await logIn(page, tailguard.admin);
    await use(page);
  },
  api: async ({ playwright, tailguard }, use) => {
    const api = await playwright.request.newContext({ baseURL: tailguard.baseURL, extraHTTPHeaders: { authorization: `Bearer ${tailguard.token}` } });
    await use(api);
    await api.dispose();
  },
});
