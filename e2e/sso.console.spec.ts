import { expect, test } from "@playwright/test";
import { cli, uniqueEmail } from "./helpers";

async function signInWithIdp(page: import("@playwright/test").Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  // the provider's development login page, then its consent page
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  const consent = page.locator('button[type="submit"]', { hasText: /continue|authorize/i });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

test("single sign-on: an invited user signs in through the OpenID Connect provider", async ({ page }) => {
  const email = uniqueEmail("sso");
  cli("user", "create", "--email", email, "--role", "auditor");
  await signInWithIdp(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("current-user")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" })).toBeVisible();
});

test("single sign-on never creates accounts: an unknown email is sent back with an explanation", async ({ page }) => {
  await signInWithIdp(page, uniqueEmail("stranger"));
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId("sign-in-error")).toContainText("no Deputy access");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
});
