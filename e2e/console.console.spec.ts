import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { createUser, signIn, uniqueEmail } from "./helpers";

test("anonymous visitors are sent to sign-in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a wrong password shows an error and grants no session", async ({ page }) => {
  const user = createUser("viewer");
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Invalid email or password");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("an admin signs in, sees the console, and signs out", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByTestId("current-user")).toContainText("Admin");
  const nav = page.getByRole("navigation", { name: "Console" });
  for (const item of ["Dashboard", "Audit log", "Users", "Settings"]) await expect(nav.getByRole("link", { name: item })).toBeVisible();
  await expect(page.getByTestId("recent-activity")).toContainText("auth.sign_in");
  await page.screenshot({ path: "test-results/dashboard.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("roles: a viewer gets 403 on admin pages, an auditor reads the audit log", async ({ page, browser }) => {
  const viewer = createUser("viewer");
  await signIn(page, viewer.email, viewer.password);
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  for (const path of ["/users", "/settings/api-keys", "/audit", "/settings"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  }
  // the API agrees with the pages
  expect((await page.request.get("/api/v1/users")).status()).toBe(403);

  const auditor = createUser("auditor");
  const ctx = await browser.newContext();
  const auditorPage = await ctx.newPage();
  await signIn(auditorPage, auditor.email, auditor.password);
  await auditorPage.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
  await expect(auditorPage.getByTestId("audit-table")).toContainText("auth.sign_in");
  await auditorPage.getByLabel("Result").selectOption("failure");
  await auditorPage.getByRole("button", { name: "Apply" }).click();
  await expect(auditorPage.getByTestId("audit-table").getByText("success")).toHaveCount(0);
  expect((await auditorPage.goto("/users"))?.status()).toBe(403);
  await ctx.close();
});

test("an admin invites a user, changes their role, and disabling ends their session", async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  const email = uniqueEmail("invited");
  await page.getByRole("button", { name: "Add user" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("approver");
  await page.getByRole("button", { name: "Create user" }).click();
  const password = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId(`user-row-${email}`);
  await expect(row).toContainText("active");

  // the invited user signs in elsewhere
  const ctx = await browser.newContext();
  const theirs = await ctx.newPage();
  await signIn(theirs, email, password);

  // a role change applies at once, without signing in again
  await row.getByLabel(`Role of ${email}`).selectOption("viewer");
  await expect(page.getByTestId("users-table")).toBeVisible();
  await expect.poll(async () => (await theirs.request.get("/api/v1/me")).json().then((b) => b.role)).toBe("viewer");

  // disabling ends the session they already have
  await row.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("button", { name: "Disable user" }).click();
  await expect(row).toContainText("disabled");
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/sign-in$/);
  expect((await theirs.request.get("/api/v1/me")).status()).toBe(401);
  await page.screenshot({ path: "test-results/users.png", fullPage: true });
  await ctx.close();
});

test("admin API keys: created once in the console, used, and revoked", async ({ page, playwright, baseURL }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/settings/api-keys");
  const name = `ci-${Date.now()}`;
  await page.getByRole("button", { name: "Create API key" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const key = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(key).toMatch(/^dpk_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId(`api-key-row-${name}`);
  await expect(row).toContainText(`dpk_…${key.slice(-4)}`);
  await expect(page.getByText(key)).toHaveCount(0); // never shown again

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${key}` } });
  const me = await api.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).actor).toMatchObject({ type: "api_key", label: name });

  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  const after = await api.get("/api/v1/me");
  expect(after.status()).toBe(401);
  expect(await after.json()).toEqual({ error: { code: "unauthorized", message: "Invalid or revoked API key" } });
  await page.screenshot({ path: "test-results/api-keys.png", fullPage: true });
  await api.dispose();
});
