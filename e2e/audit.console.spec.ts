import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, createUser, signIn } from "./helpers";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

test("an auditor filters the audit log, opens an event's details, and exports the filtered range", async ({ page, request }) => {
  test.setTimeout(60_000);
  // an agent that gets a token (token.issue) and a small tree (node.create) to find again
  const name = `audited-${Date.now()}`;
  const agent = JSON.parse(cli("agent", "create", "--name", name, "--owner", E2E_ADMIN.email, "--scopes", "github.read", "--json")) as { id: string; client_secret: string };
  const token = await request.post("/oauth/token", {
    headers: { authorization: basic(agent.id, agent.client_secret), "content-type": "application/x-www-form-urlencoded" },
    data: "grant_type=client_credentials&scope=github.read",
  });
  expect(token.status()).toBe(200);
  const org = `audit-org-${Date.now()}`;
  cli("node", "create", "--type", "organization", "--name", org);
  cli("node", "create", "--type", "project", "--name", "payments", "--parent", org);
  cli("node", "create", "--type", "project", "--name", "other-place", "--parent", org);

  const auditor = createUser("auditor");
  await signIn(page, auditor.email, auditor.password);

  // a link from another page: /audit?agent=... shows that agent's events
  await page.goto(`/audit?agent=${agent.id}`);
  const table = page.getByTestId("audit-table");
  await expect(table).toContainText("token.issue");
  await expect(table).toContainText("agent.create");

  // narrow it with the form: every token.* action of that agent
  const filters = page.getByTestId("audit-filters");
  await filters.getByLabel("Action", { exact: true }).fill("token.");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?agent=${agent.id}&action=token\\.$`));
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.locator("tbody tr")).toContainText("token.issue");
  await page.screenshot({ path: "test-results/audit-filtered.png", fullPage: true });

  // the detail drawer: the whole event, its details as JSON, its place in the hash chain, a link to the agent
  await table.locator("tbody tr").first().click();
  const drawer = page.getByTestId("event-drawer");
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/[?&]event=evt_/);
  await expect(drawer.getByTestId("event-details")).toContainText('"grant": "client_credentials"');
  await expect(drawer).toContainText("Position");
  await expect(drawer.getByRole("link", { name: agent.id }).first()).toHaveAttribute("href", `/agents/${agent.id}`);
  await page.screenshot({ path: "test-results/audit-drawer.png", fullPage: true });
  // the drawer's URL opens it again after a reload
  await page.reload();
  await expect(page.getByTestId("event-drawer")).toBeVisible();
  await page.getByTestId("event-drawer").getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("event-drawer")).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);

  // export the filtered range as CSV: the file holds exactly the rows shown
  const download = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^deputy-audit-\d{8}T\d{6}Z\.csv$/);
  const csv = await readFile((await file.path())!, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("id,created_at,seq,actor_type,actor_id,actor_label,action,target_type,target_id,result,ip,details,prev_hash,hash");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(",token.issue,");

  // a subtree: the organization's events, and not another one's
  await page.goto("/audit");
  // typing an agent's name suggests its id
  await page.getByTestId("audit-filters").getByLabel("Agent", { exact: true }).fill(name);
  await expect(page.locator(`#audit-agent-suggestions option[value="${agent.id}"]`)).toHaveCount(1);
  await page.getByTestId("audit-filters").getByLabel("Agent", { exact: true }).fill("");
  await page.getByTestId("audit-filters").getByLabel("Resource subtree").fill(`${org}/payments`);
  await page.getByTestId("audit-filters").getByRole("button", { name: "Apply" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("node.create");
  // the export itself was audited, by this auditor
  await page.goto("/audit?action=audit.export");
  await expect(table.locator("tbody tr").first()).toContainText(auditor.email);
  await page.screenshot({ path: "test-results/audit-export-audited.png", fullPage: true });
});
