import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, signIn } from "./helpers";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

test("an admin runs a kill-switch drill and sees its time to effect in the history", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Kill-switch drills" }).click();
  await expect(page).toHaveURL(/\/settings\/drills$/);

  await page.getByRole("button", { name: "Run drill" }).click();
  const row = page.getByTestId("drills-table").locator("tbody tr").first();
  await expect(row).toContainText("passed", { timeout: 30_000 });
  const shown = (await row.getByTestId("time-to-effect").textContent())!.trim();
  expect(shown).toMatch(/^\d+ ms$/);
  expect(Number.parseInt(shown, 10)).toBeLessThan(1_000);

  // its steps, each with its time, are open after the run
  const steps = page.getByTestId("drill-steps");
  await expect(steps).toContainText("kill_switch");
  await expect(steps).toContainText("decision_denies");
  await expect(steps).toContainText("introspection_rejects");
  await expect(steps).toContainText("cleanup");
  await page.screenshot({ path: "test-results/drills.png", fullPage: true });

  // the history survives a reload (read from the server), and the canary is gone
  await page.reload();
  await expect(page.getByTestId("drills-table").getByTestId("time-to-effect").first()).toHaveText(shown);
  expect(cli("agent", "list", "--json")).not.toContain("drill-canary-");
});

test("an admin kills an agent by typing its name, its secret stops working, and restores it with a new secret", async ({ page, request }) => {
  const name = `kill-me-${Date.now()}`;
  const created = JSON.parse(cli("agent", "create", "--name", name, "--owner", E2E_ADMIN.email, "--scopes", "github.read", "--json")) as {
    id: string;
    client_secret: string;
  };
  const token = (secret: string) =>
    request.post("/oauth/token", {
      headers: { authorization: basic(created.id, secret), "content-type": "application/x-www-form-urlencoded" },
      data: "grant_type=client_credentials&scope=github.read",
    });
  expect((await token(created.client_secret)).status()).toBe(200);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/agents/${created.id}`);
  await page.getByRole("button", { name: "Kill switch" }).click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByLabel(`Type ${name} to confirm`);
  const submit = dialog.getByRole("button", { name: "Kill agent now" });
  await confirm.fill(created.id);
  await expect(submit).toBeDisabled();
  await confirm.fill(name);
  await submit.click();

  await expect(page.getByTestId("agent-status")).toContainText("killed");
  await expect(page.getByTestId("kill-switch-card")).toContainText("Killed");
  expect((await token(created.client_secret)).status()).toBe(401);
  await page.screenshot({ path: "test-results/agent-killed.png", fullPage: true });

  await page.getByRole("button", { name: "Restore agent" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore with a new secret" }).click();
  const fresh = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(fresh).toMatch(/^dps_/);
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("agent-status")).toContainText("active");
  expect((await token(fresh)).status()).toBe(200);
  expect((await token(created.client_secret)).status()).toBe(401);
});

test("a freeze of every agent shows the incident banner on every page until it is lifted", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/agents");
  await page.getByRole("button", { name: "Freeze agents" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("e2e incident drill");
  await dialog.getByRole("button", { name: "Freeze every agent" }).click();
  await expect(dialog).toContainText("agents suspended");
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.goto("/dashboard");
  await expect(page.getByTestId("incident-banner")).toContainText("Incident mode");
  await page.getByTestId("incident-banner").getByRole("link", { name: "Review freezes" }).click();
  const row = page.getByTestId("freezes-table").locator("tbody tr").filter({ hasText: "e2e incident drill" });
  await row.getByRole("button", { name: "Lift" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Lift freeze" }).click();
  await expect(page.getByTestId("no-freeze")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByTestId("incident-banner")).toHaveCount(0);
});
