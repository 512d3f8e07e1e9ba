import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, signIn } from "./helpers";

const tag = () => randomBytes(3).toString("hex");

// CLI calls take a couple of seconds each, and the first visit of a page warms the server up
test.describe.configure({ timeout: 90_000 });

/** A JSON API call with the signed-in admin's session; writes carry our Origin (CSRF). */
async function api(page: Page, baseURL: string, method: "POST" | "GET", path: string, data?: unknown) {
  const res = await page.request.fetch(`/api/v1${path}`, { method, data, headers: { origin: baseURL } });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
}

test("an admin sees what a cascade delete takes, is stopped when the subtree changes, and deletes it", async ({ page, baseURL }) => {
  const t = tag();
  const root = `casc-${t}`;
  const agentName = `cascade-bot-${t}`;
  const agent = JSON.parse(cli("agent", "create", "--name", agentName, "--owner", E2E_ADMIN.email, "--json")) as { id: string };
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await api(page, baseURL!, "POST", "/resources", { type: "organization", name: root });
  const project = await api(page, baseURL!, "POST", "/resources", { type: "project", name: "platform", parent: root });
  await api(page, baseURL!, "POST", "/resources", { type: "repository", name: "api", parent: `${root}/platform` });
  await api(page, baseURL!, "POST", "/resources", { type: "branch", name: "main", parent: `${root}/platform/api` });
  const principal = { type: "agent", id: agent.id };
  await api(page, baseURL!, "POST", "/grants", { principal, role: "Editor", node: `${root}/platform/api`, reason: "e2e: works on the api" });
  await api(page, baseURL!, "POST", "/grants", { principal, role: "Viewer", node: `${root}/platform/api/main`, reason: "e2e: reads main" });

  // the selection is in the URL: the page opens the tree down to the project
  await page.goto(`/resources?node=${project.id}`);
  await expect(page.getByTestId("node-path")).toHaveText(`${root}/platform`);
  await page.getByRole("toolbar", { name: "Tree actions" }).getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Delete ${root}/platform and everything below it?`);
  await expect(dialog.getByTestId("delete-preview-counts")).toContainText("Deleting removes 3 nodes and 2 grants (2 active)");
  const nodes = dialog.getByTestId("delete-preview-nodes");
  await expect(nodes.getByRole("listitem")).toHaveText([/platform$/, /platform\/api$/, /platform\/api\/main$/]);
  const grants = dialog.getByTestId("delete-preview-grants");
  await expect(grants.getByRole("listitem")).toHaveCount(2);
  // in force first, then in tree order: who, what, where, and the status
  const first = grants.getByRole("listitem").first();
  for (const text of [agentName, "role Editor", `${root}/platform/api`, "active"]) await expect(first).toContainText(text);
  for (const text of [agentName, "role Viewer", `${root}/platform/api/main`]) await expect(grants.getByRole("listitem").nth(1)).toContainText(text);

  // someone adds a node while the dialog is open: the confirmation is refused and the list shows the new subtree
  await api(page, baseURL!, "POST", "/resources", { type: "folder", name: "late", parent: `${root}/platform` });
  await dialog.getByRole("button", { name: "Delete 3 nodes and 2 grants" }).click();
  await expect(dialog).toContainText(`${root}/platform changed since the preview: it now has 4 nodes and 2 grants; preview the delete again`);
  await expect(nodes).toContainText(`${root}/platform/late`);
  await page.screenshot({ path: "test-results/cascade-delete.png" });

  await dialog.getByRole("button", { name: "Delete 4 nodes and 2 grants" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`tree-row-${root}/platform`)).toHaveCount(0);
  await expect(page.getByTestId(`tree-row-${root}`)).toHaveAttribute("aria-selected", "true");
  // the grants went with the nodes
  const left = await api(page, baseURL!, "GET", `/grants?principalType=agent&principalId=${agent.id}`);
  expect(left.grants).toEqual([]);
});

test("an admin edits a tool's risk and approval settings, and decisions follow at once", async ({ page, baseURL }) => {
  const t = tag();
  const tool = `deploy${t}.run`;
  const root = `rk-${t}`;
  cli("tool", "create", "--name", tool, "--risk", "write", "--params-schema", '{"type":"object","properties":{"env":{"type":"string"}}}');
  const agent = JSON.parse(cli("agent", "create", "--name", `runner-${t}`, "--owner", E2E_ADMIN.email, "--json")) as { id: string };
  cli("node", "create", "--type", "organization", "--name", root);
  cli("grant", "create", "--agent", agent.id, "--tool", tool, "--node", root, "--reason", "e2e: runs deploys");
  const decide = async () =>
    (await api(page, baseURL!, "POST", "/decisions/simulate", { agentId: agent.id, tool, resource: root, params: { env: "prod" } })).decision as string;

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  expect(await decide()).toBe("allow");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Tools & roles" }).click();
  const row = page.getByTestId(`tool-row-${tool}`);
  await expect(row).toContainText("write");
  await expect(row.getByTestId("tool-approval")).toHaveText("any approver · 10 min");

  await row.getByRole("button", { name: `Edit tool ${tool}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Edit tool ${tool}`);
  await dialog.getByLabel("Risk").selectOption("irreversible");
  await expect(dialog.getByTestId("risk-hint")).toContainText("moves to Deployer");
  // the schema is checked as JSON before anything is sent
  const schema = dialog.getByLabel("Parameters JSON schema (optional)");
  await schema.fill('{"type": "object", "properties": {"env": {"type": "string"}');
  await expect(dialog.getByTestId("schema-error")).toContainText("not valid JSON");
  await schema.fill('{"type": "object", "properties": {"env": {"type": "strng"}}}');
  await expect(dialog.getByTestId("schema-error")).toHaveCount(0);
  await dialog.getByLabel("Who approves").selectOption("quorum");
  await dialog.getByLabel("Approvers needed").fill("2");
  await dialog.getByLabel("Wait (seconds)").fill("1800");
  // ... and as a schema the constraint checker understands, by the API: its message names the field
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toContainText("paramsSchema.properties.env.type: must be one of string, number, integer, boolean, object, array, null");
  await schema.fill('{"type": "object", "properties": {"env": {"type": "string"}}}');
  await page.screenshot({ path: "test-results/tool-edit.png" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  await expect(row).toContainText("irreversible");
  await expect(row.getByTestId("tool-approval")).toHaveText("2 approvers · 30 min");
  await expect(page.getByTestId("role-row-Editor")).not.toContainText(tool);
  await expect(page.getByTestId("role-row-Deployer")).toContainText(tool);
  await page.screenshot({ path: "test-results/tools-approval.png", fullPage: true });
  // the same call now needs a person
  expect(await decide()).toBe("approval_required");
});

test("an admin adds a node type, changes its icon, and cannot delete it while a node uses it", async ({ page, baseURL }) => {
  const name = `dataset-${tag()}`;
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Resources" }).click();
  await page.getByRole("link", { name: "Node types" }).click();
  await expect(page).toHaveURL(/\/resources\/node-types$/);
  await expect(page.getByTestId("node-type-row-branch")).toContainText("built-in");
  await expect(page.getByRole("button", { name: "Delete type branch" })).toHaveCount(0);

  await page.getByRole("button", { name: "New type" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("radio", { name: "database" }).check({ force: true });
  await dialog.getByRole("button", { name: "Add type" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId(`node-type-row-${name}`);
  await expect(row).toContainText("database");

  await row.getByRole("button", { name: `Change the icon of ${name}` }).click();
  await dialog.getByRole("radio", { name: "cloud" }).check({ force: true });
  await dialog.getByRole("button", { name: "Save icon" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("cloud");

  await api(page, baseURL!, "POST", "/resources", { type: name, name: `uses-${name}` });
  await row.getByRole("button", { name: `Delete type ${name}` }).click();
  await dialog.getByRole("button", { name: "Delete type" }).click();
  await expect(dialog).toContainText(`Node type ${name} is used by 1 node; delete those nodes first`);
  await page.screenshot({ path: "test-results/node-types.png" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toBeVisible();
});
