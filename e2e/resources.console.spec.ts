import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, createUser, signIn } from "./helpers";

const tag = () => randomBytes(3).toString("hex");

// each CLI call takes a couple of seconds, and the first visit of a page warms the server up: some headroom
test.describe.configure({ timeout: 60_000 });

/** Creates a node through the toolbar: a root, or a child of the node at `parent` (clicked first to select it). */
async function createNode(page: Page, parent: string | null, type: string, name: string) {
  if (parent) await page.getByTestId(`tree-row-${parent}`).click();
  await page.getByRole("button", { name: parent ? "New child" : "New root" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Type").selectOption(type);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create node" }).click();
  await expect(dialog).toBeHidden();
  const path = parent ? `${parent}/${name}` : name;
  // the new node is selected and shown in the tree
  await expect(page.getByTestId(`tree-row-${path}`)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("node-path")).toHaveText(path);
  return path;
}

async function simulate(page: Page, path: string): Promise<Locator> {
  await page.getByTestId(`tree-row-${path}`).click();
  await expect(page.getByTestId("node-path")).toHaveText(path);
  const card = page.getByTestId("simulate");
  await card.getByRole("button", { name: "Simulate" }).click();
  return card.getByTestId("simulate-decision");
}

test("an admin builds a tree, grants an agent Editor on a branch until tomorrow, and Simulate allows it there only", async ({ page }) => {
  const t = tag();
  const tool = `repo${t}.push`;
  cli("tool", "create", "--name", tool, "--risk", "write", "--description", "Pushes commits to a branch");
  cli("tool", "create", "--name", `repo${t}.read`, "--risk", "read");
  const agentName = `builder-${t}`;
  const agent = JSON.parse(cli("agent", "create", "--name", agentName, "--owner", E2E_ADMIN.email, "--scopes", tool, "--json")) as { id: string };
  expect(agent.id).toMatch(/^agt_/);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Resources" }).click();
  await expect(page).toHaveURL(/\/resources/);

  const root = await createNode(page, null, "organization", `acme-${t}`);
  const platform = await createNode(page, root, "project", "platform");
  const branchA = await createNode(page, platform, "branch", "branch-a");
  const branchB = await createNode(page, platform, "branch", "branch-b");
  await expect(page.getByTestId("node-type")).toHaveText("branch");

  // grant the agent Editor on branch-a, expiring a day from now (the form's times are UTC)
  await page.getByTestId(`tree-row-${branchA}`).click();
  await expect(page.getByTestId("node-path")).toHaveText(branchA);
  await page.getByTestId("node-access").getByRole("button", { name: "Grant access" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Grant access on ${branchA}`);
  await dialog.getByLabel("Agent", { exact: true }).selectOption({ label: agentName });
  await dialog.getByLabel("Role", { exact: true }).selectOption("Editor");
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
  await dialog.getByLabel("Expires (UTC, optional)").fill(tomorrow);
  await dialog.getByLabel("Reason").fill("e2e: the builder works on branch-a");
  await page.screenshot({ path: "test-results/grant-dialog.png" });
  await dialog.getByRole("button", { name: "Grant access" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId(`access-row-${agentName}`);
  await expect(row).toContainText("Editor");
  await expect(row).toContainText(tool);
  await expect(row).toContainText("on this node");
  await expect(row).toContainText(`until ${tomorrow.replace("T", " ")} UTC`);
  await expect(row).toContainText("active");

  // Simulate on branch-a: allow, with the grant as its reason
  const card = page.getByTestId("simulate");
  await card.getByLabel("Agent", { exact: true }).selectOption({ label: agentName });
  await card.getByLabel("Tool").selectOption(tool);
  await card.getByLabel("Parameters (JSON)").fill('{"branch": "branch-a"}');
  await expect(await simulate(page, branchA)).toHaveText("allow");
  await expect(card.getByTestId("simulate-reasons")).toContainText(`${agentName} may use ${tool} on ${branchA} via role Editor granted on ${branchA}`);
  // the tree card is sticky: scrolled back to the top, a full-page screenshot shows it where it sits
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/resources.png", fullPage: true });

  // the sibling and the parent: deny, each saying what is missing where
  await expect(await simulate(page, branchB)).toHaveText("deny");
  await expect(card.getByTestId("simulate-reasons")).toContainText(`${agentName} has no grant for ${tool} on ${branchB}`);
  await expect(page.getByTestId("node-access").getByTestId("empty")).toBeVisible();

  await expect(await simulate(page, platform)).toHaveText("deny");
  await expect(card.getByTestId("simulate-reasons")).toContainText(`${agentName} has no grant for ${tool} on ${platform}`);

  // the parameters must be a JSON object before anything is asked
  await card.getByLabel("Parameters (JSON)").fill("{not json");
  await expect(card.getByTestId("simulate-params-error")).toBeVisible();
  await expect(card.getByRole("button", { name: "Simulate" })).toBeDisabled();

  // the selection is in the URL: a reload opens the tree down to it
  await page.getByTestId(`tree-row-${branchA}`).click();
  await expect(page).toHaveURL(/\?node=res_/);
  await page.reload();
  await expect(page.getByTestId(`tree-row-${branchA}`)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId(`access-row-${agentName}`)).toContainText("Editor");

  // revoking asks once, then the grant is gone from the node
  await page.getByRole("button", { name: `Revoke Editor of ${agentName}` }).click();
  await expect(page.getByRole("dialog")).toContainText(`It stops applying on ${branchA}`);
  await page.getByRole("dialog").getByRole("button", { name: "Revoke grant" }).click();
  await expect(page.getByTestId(`access-row-${agentName}`)).toHaveCount(0);
});

test("the tree: keyboard navigation, search, drag to move (cycles refused), delete with cascade", async ({ page, baseURL }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  // the tree is made through the API with the admin's session (quicker than the CLI; writes carry our Origin)
  const root = `kb-${tag()}`;
  for (const [type, name, parent] of [
    ["organization", root, null],
    ["project", "alpha", root],
    ["project", "beta", root],
    ["branch", "deep", `${root}/alpha`],
  ] as const) {
    const res = await page.request.post("/api/v1/resources", { data: { type, name, parent }, headers: { origin: baseURL! } });
    expect(res.status(), await res.text()).toBe(201);
  }
  await page.goto("/resources");
  const tree = page.getByRole("tree", { name: "Resource tree" });
  const rootRow = page.getByTestId(`tree-row-${root}`);
  const alpha = page.getByTestId(`tree-row-${root}/alpha`);

  // keyboard: focus the tree on the root, Right expands, Down moves, Enter selects, Left collapses then goes up
  await rootRow.click();
  await expect(rootRow).toHaveAttribute("aria-expanded", "false");
  await tree.press("ArrowRight");
  await expect(rootRow).toHaveAttribute("aria-expanded", "true");
  // children load lazily: until they arrive, Down rightly moves to the root's next sibling
  await expect(alpha).toBeVisible();
  await tree.press("ArrowDown");
  await expect(tree).toHaveAttribute("aria-activedescendant", (await alpha.getAttribute("id"))!);
  await tree.press("ArrowRight");
  await expect(alpha).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByTestId(`tree-row-${root}/alpha/deep`)).toBeVisible();
  await tree.press("Enter");
  await expect(alpha).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("node-path")).toHaveText(`${root}/alpha`);
  await tree.press("ArrowLeft");
  await expect(alpha).toHaveAttribute("aria-expanded", "false");
  await tree.press("ArrowLeft");
  await expect(tree).toHaveAttribute("aria-activedescendant", (await rootRow.getAttribute("id"))!);

  // search by name: picking a match selects it and opens the tree down to it
  await page.getByLabel("Search resources").fill("deep");
  await page.getByTestId("search-results").getByRole("button", { name: new RegExp(`${root}/alpha/deep`) }).click();
  await expect(page.getByTestId(`tree-row-${root}/alpha/deep`)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("node-path")).toHaveText(`${root}/alpha/deep`);

  // drag beta onto alpha: asked once, then moved
  await page.getByTestId(`tree-row-${root}/beta`).dragTo(alpha);
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Move beta under alpha");
  await expect(dialog.getByTestId("move-summary")).toContainText(`${root}/alpha/beta`);
  await dialog.getByRole("button", { name: "Move" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`tree-row-${root}/alpha/beta`)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId(`tree-row-${root}/beta`)).toHaveCount(0);

  // a node cannot move under its own descendant: the API's 409 says why
  await alpha.dragTo(page.getByTestId(`tree-row-${root}/alpha/beta`));
  await expect(dialog).toContainText("Move alpha under beta");
  await dialog.getByRole("button", { name: "Move" }).click();
  await expect(dialog).toContainText(`Moving ${root}/alpha under ${root}/alpha/beta would create a cycle`);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // delete alpha: it has children, so the dialog lists everything the cascade takes before asking
  await alpha.click();
  await page.getByRole("toolbar", { name: "Tree actions" }).getByRole("button", { name: "Delete" }).click();
  await expect(dialog).toContainText(`Delete ${root}/alpha and everything below it?`);
  await expect(dialog.getByTestId("delete-preview-counts")).toContainText("Deleting removes 3 nodes and 0 grants");
  const listed = dialog.getByTestId("delete-preview-nodes");
  await expect(listed).toContainText(`${root}/alpha/beta`);
  await expect(listed).toContainText(`${root}/alpha/deep`);
  await expect(dialog.getByTestId("delete-preview-no-grants")).toBeVisible();
  await dialog.getByRole("button", { name: "Delete 3 nodes and 0 grants" }).click();
  await expect(dialog).toBeHidden();
  await expect(alpha).toHaveCount(0);
  await expect(rootRow).toHaveAttribute("aria-selected", "true");
});

test("tools and roles: an admin adds a tool and a custom role, edits the role, and deletes both", async ({ page }) => {
  const t = tag();
  const tool = `docs${t}.read`;
  const roleName = `Docs reader ${t}`;
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Tools & roles" }).click();
  await expect(page).toHaveURL(/\/tools$/);
  await expect(page.getByTestId("role-row-Editor")).toContainText("built-in");

  await page.getByRole("button", { name: "New tool" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(tool);
  await dialog.getByLabel("Risk").selectOption("read");
  await dialog.getByLabel("Description (optional)").fill("Reads the docs");
  await dialog.getByLabel("Parameters JSON schema (optional)").fill('{"type": "object", "properties": {"page": {"type": "string"}}}');
  await dialog.getByRole("button", { name: "Create tool" }).click();
  await expect(dialog).toBeHidden();
  const toolRow = page.getByTestId(`tool-row-${tool}`);
  await expect(toolRow).toContainText("read");
  await expect(toolRow).toContainText("params: page");
  // built-in roles follow risks: a read tool is in Viewer, Editor and Deployer at once
  await expect(toolRow).toContainText("Viewer");
  await expect(page.getByTestId("role-row-Viewer")).toContainText(tool);

  await page.getByRole("button", { name: "New role" }).click();
  await dialog.getByLabel("Name").fill(roleName);
  await dialog.getByLabel("Filter tools").fill(tool);
  await dialog.getByTestId("role-tools").getByRole("checkbox").first().check();
  await dialog.getByRole("button", { name: "Create role" }).click();
  await expect(dialog).toBeHidden();
  const roleRow = page.getByTestId(`role-row-${roleName}`);
  await expect(roleRow).toContainText(tool);
  await expect(toolRow).toContainText(roleName);

  await roleRow.getByRole("button", { name: `Edit role ${roleName}` }).click();
  await dialog.getByLabel("Description (optional)").fill("Only the docs");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(roleRow).toContainText("Only the docs");
  await page.screenshot({ path: "test-results/tools.png", fullPage: true });

  // built-in roles: only their description is editable, and they cannot be deleted
  await page.getByTestId("role-row-Editor").getByRole("button", { name: "Edit role Editor" }).click();
  await expect(dialog).toContainText("Only its description can change");
  await expect(dialog.getByLabel("Name")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("role-row-Editor").getByRole("button", { name: /Delete/ })).toHaveCount(0);

  await roleRow.getByRole("button", { name: `Delete role ${roleName}` }).click();
  await dialog.getByRole("button", { name: "Delete role" }).click();
  await expect(roleRow).toHaveCount(0);
  await toolRow.getByRole("button", { name: `Delete tool ${tool}` }).click();
  await expect(dialog).toContainText("Viewer");
  await dialog.getByRole("button", { name: "Delete tool" }).click();
  await expect(toolRow).toHaveCount(0);
});

test("a viewer sees the tree and the catalog but no buttons that change them", async ({ page }) => {
  const viewer = createUser("viewer");
  const root = `ro-${tag()}`;
  cli("node", "create", "--type", "organization", "--name", root);
  await signIn(page, viewer.email, viewer.password);
  const nav = page.getByRole("navigation", { name: "Console" });
  await nav.getByRole("link", { name: "Resources" }).click();
  await page.getByTestId(`tree-row-${root}`).click();
  await expect(page.getByTestId("node-path")).toHaveText(root);
  await expect(page.getByRole("toolbar", { name: "Tree actions" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Grant access" })).toHaveCount(0);
  // Simulate is for admins and auditors (the API's rule)
  await expect(page.getByTestId("simulate")).toHaveCount(0);
  await nav.getByRole("link", { name: "Tools & roles" }).click();
  await expect(page.getByTestId("roles-table")).toContainText("Viewer");
  await expect(page.getByRole("button", { name: "New tool" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New role" })).toHaveCount(0);
});

test("a node reached by many grants lists the nearest 100, and more on demand", async ({ page, request }) => {
  const root = `many-${tag()}`;
  const key = cli("api-key", "create", "--name", `access-e2e-${root}`);
  const post = async (path: string, data: unknown) => {
    const res = await request.post(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` }, data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
  };
  await post("/resources", { type: "organization", name: root });
  const reader = createUser("viewer");
  for (let i = 0; i < 101; i++) await post("/grants", { principal: { type: "user", email: reader.email }, role: "Viewer", node: root, reason: `e2e ${i}` });

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Resources" }).click();
  await page.getByTestId(`tree-row-${root}`).click();
  const card = page.getByTestId("node-access");
  const rows = page.getByTestId("access-list").locator("> li");
  await expect(card).toContainText("Access here (100 of 101)");
  await expect(rows).toHaveCount(100);
  await card.getByRole("button", { name: "Show 1 more" }).click();
  await expect(rows).toHaveCount(101);
  await expect(card).not.toContainText("Showing the nearest");
});
