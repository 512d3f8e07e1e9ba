// Settings > Webhooks in a real browser, against the production server (whose background sender is started by
// instrumentation.ts): add a webhook pointing at a receiver on 127.0.0.1 (the e2e server sets
// DEPUTY_WEBHOOK_ALLOW_PRIVATE), send a test, watch it arrive signed, edit, disable, rotate, redeliver, delete.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhookSignature } from "../lib/webhooks/signature";
import { E2E_ADMIN } from "./env";
import { signIn } from "./helpers";

type Received = { headers: http.IncomingHttpHeaders; body: string };

test("an admin adds a webhook, sends a signed test, rotates its secret, redelivers and deletes it", async ({ page }) => {
  const received: Received[] = [];
  let answer = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deputy`;
  // other specs may raise events this webhook takes once it takes "*": look at the test events only
  const tests = () => received.filter((r) => (JSON.parse(r.body) as { event: string }).event === "webhook.test");

  try {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/settings");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();

    // add: the secret is shown once
    const name = `receiver-${Date.now()}`;
    await page.getByRole("button", { name: "Add webhook" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("URL").fill(url);
    await expect(dialog.getByLabel(/An approval is requested/)).toBeChecked();
    await dialog.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await dialog.getByTestId("secret-value").textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    const row = page.getByTestId(`webhook-row-${name}`);
    await expect(row).toContainText("approval.decided, approval.requested");
    await expect(row).toContainText(`whsec_…${secret.slice(-4)}`);
    await expect(page.locator("body")).not.toContainText(secret);

    // send a test: the server's sender delivers it at once, signed with the secret
    await row.getByRole("button", { name: "Send test" }).click();
    const log = page.getByTestId("delivery-log");
    await expect(log.getByText("delivered", { exact: true })).toBeVisible();
    expect(tests()).toHaveLength(1);
    expect(verifyWebhookSignature(secret, tests()[0]!.headers, tests()[0]!.body)).toBe(true);
    await page.screenshot({ path: "test-results/webhooks.png", fullPage: true });

    // edit the events: all of them
    await row.getByRole("button", { name: "Edit" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel(/All events/).check();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText("all events");

    // disable, then enable again
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row).toContainText("disabled");
    await expect(row.getByRole("button", { name: "Send test" })).toBeDisabled();
    await row.getByRole("button", { name: "Enable" }).click();
    await expect(row).toContainText("enabled");

    // rotate: asks once, shows the new secret once
    await row.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    const newSecret = (await page.getByRole("dialog").getByTestId("secret-value").textContent())!.trim();
    expect(newSecret).not.toBe(secret);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect(row).toContainText(`whsec_…${newSecret.slice(-4)}`);

    // redeliver to a failing receiver: the log shows the attempt, still pending, with the receiver's status
    answer = 500;
    await log.getByRole("button", { name: "Redeliver" }).click();
    await expect(log.getByText("HTTP 500")).toBeVisible();
    await expect(log.getByText("pending", { exact: true })).toBeVisible();
    const [first, second] = tests();
    expect(tests()).toHaveLength(2);
    expect(second!.headers["deputy-webhook-id"]).toBe(first!.headers["deputy-webhook-id"]);
    expect(verifyWebhookSignature(newSecret, second!.headers, second!.body)).toBe(true);
    expect(verifyWebhookSignature(secret, second!.headers, second!.body)).toBe(false);

    // delete: asks once, says what it does
    await row.getByRole("button", { name: "Delete" }).click();
    dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("queued deliveries are dropped");
    await dialog.getByRole("button", { name: "Delete webhook" }).click();
    await expect(row).toHaveCount(0);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
