import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { signIn } from "./helpers";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

test("an admin registers an agent, its secret gets a token, and after rotation both secrets work during the grace period", async ({ page, request }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Agents", exact: true }).click();
  await expect(page).toHaveURL(/\/agents$/);

  const name = `deploy-bot-${Date.now()}`;
  await page.getByRole("button", { name: "New agent" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Allowed scopes").fill("github.read github.push");
  await dialog.getByRole("button", { name: "Create agent" }).click();

  const clientId = (await page.getByTestId("client-id").textContent())!.trim();
  const firstSecret = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(clientId).toMatch(/^agt_/);
  expect(firstSecret).toMatch(/^dps_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: "test-results/agent-created.png" });

  const token = async (secret: string) =>
    request.post("/oauth/token", {
      headers: { authorization: basic(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      data: "grant_type=client_credentials&scope=github.read",
    });
  const first = await token(firstSecret);
  expect(first.status()).toBe(200);
  expect((await first.json()).scope).toBe("github.read");

  // the agent page: details and credentials; rotate with the default 24 h grace
  await dialog.getByRole("link", { name: /agent/i }).first().click();
  await expect(page).toHaveURL(new RegExp(`/agents/${clientId}$`));
  await expect(page.getByTestId("agent-client-id")).toHaveText(clientId);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate now" }).click();
  const secondSecret = (await page.getByTestId("secret-value").textContent())!.trim();
  expect(secondSecret).not.toBe(firstSecret);
  await expect(page.getByTestId("grace-ends")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();

  await expect(page.getByTestId(`secret-row-${firstSecret.slice(-4)}`)).toContainText(/grace/i);
  await expect(page.getByTestId(`secret-row-${secondSecret.slice(-4)}`)).toContainText(/active/i);
  expect((await token(firstSecret)).status()).toBe(200);
  expect((await token(secondSecret)).status()).toBe(200);

  // the issued tokens show on the agent page
  await page.reload();
  await expect(page.getByText("github.read").first()).toBeVisible();
  await page.screenshot({ path: "test-results/agent-page.png", fullPage: true });

  // suspending stops new tokens at once
  await page.getByRole("button", { name: "Suspend agent" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Suspend now" }).click();
  await expect(page.getByText("suspended").first()).toBeVisible();
  const refused = await token(secondSecret);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe("invalid_client");
});
