// Human approvals, click by click: an agent's irreversible call waits for a person; an approver sees it appear in the
// inbox, reads its parameters, and approves with a comment after re-entering the password; the agent's next call is
// allowed once. A second request is denied, and the agent reads why through the long poll.
import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, createUser, signIn } from "./helpers";

test.describe.configure({ timeout: 90_000 });

const tag = () => randomBytes(3).toString("hex");

/** A tree, an irreversible tool, an agent allowed to call it, an approver and a resource server, through the CLI. */
function world() {
  const t = tag();
  const root = `acme-${t}`;
  cli("node", "create", "--type", "organization", "--name", root);
  cli("node", "create", "--type", "environment", "--name", "prod", "--parent", root);
  const tool = `pay${t}.refund`;
  const schema = { type: "object", properties: { amount: { type: "number" }, account: { type: "string" }, mode: { type: "string" } } };
  cli("tool", "create", "--name", tool, "--risk", "irreversible", "--description", "Refund a payment", "--params-schema", JSON.stringify(schema));
  const agentName = `refund-bot-${t}`;
  const agent = JSON.parse(cli("agent", "create", "--name", agentName, "--owner", E2E_ADMIN.email, "--scopes", tool, "--json")) as { id: string; client_secret: string };
  cli("grant", "create", "--agent", agent.id, "--role", "Deployer", "--node", root, "--reason", "e2e: refunds");
  const approver = createUser("approver");
  cli("grant", "create", "--user", approver.email, "--role", "Approver", "--node", root, "--reason", "e2e: approves refunds");
  const audience = `https://payments-${t}.example/`;
  const rs = JSON.parse(cli("resource-server", "create", "--name", `payments-${t}`, "--audience", audience, "--json")) as { secret: string };
  return { root, resource: `${root}/prod`, tool, agent, agentName, approver, audience, rsSecret: rs.secret };
}
type World = ReturnType<typeof world>;

async function agentToken(request: APIRequestContext, w: World, resource?: string) {
  const res = await request.post("/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${w.agent.id}:${w.agent.client_secret}`).toString("base64")}` },
    form: { grant_type: "client_credentials", scope: w.tool, ...(resource ? { resource } : {}) },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

type DecisionAnswer = { decision: string; reasons: { code: string; message: string }[]; approval?: { id: string; status: string; url: string } };

async function decide(request: APIRequestContext, w: World, token: string, params: Record<string, unknown>): Promise<DecisionAnswer> {
  const res = await request.post("/api/v1/decisions", {
    headers: { authorization: `Bearer ${w.rsSecret}` },
    data: { token, tool: w.tool, resource: w.resource, params },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as DecisionAnswer;
}

test("an approver approves an irreversible call from the inbox; the agent's next call is allowed once", async ({ page, request }) => {
  const w = world();
  const rsToken = await agentToken(request, w, w.audience);
  await signIn(page, w.approver.email, w.approver.password);
  const nav = page.getByRole("navigation", { name: "Console" });
  await nav.getByRole("link", { name: /^Approvals/ }).click();
  await expect(page).toHaveURL(/\/approvals$/);

  // the agent asks while the approver looks at the inbox: the request appears without a reload
  const params = { amount: 250, account: "acct_77", mode: "force" };
  const asked = await decide(request, w, rsToken, params);
  expect(asked.decision).toBe("approval_required");
  const id = asked.approval!.id;
  expect(asked.approval!.url).toMatch(new RegExp(`/approvals/${id}$`));
  const row = page.getByTestId("approval-row").filter({ hasText: w.tool });
  await expect(row).toBeVisible();
  await expect(row).toContainText(w.agentName);
  await expect(row).toContainText(`owner ${E2E_ADMIN.email}`);
  await expect(row).toContainText(w.resource);
  await expect(row).toContainText(/min \d+ s left/);
  await expect(nav.getByTestId("pending-approvals")).toBeVisible();

  await row.click();
  await expect(page).toHaveURL(new RegExp(`/approvals/${id}$`));
  const paramsCard = page.getByTestId("approval-params");
  await expect(paramsCard).toContainText("acct_77");
  // the amount and the force flag stand out; the account does not
  await expect(paramsCard.locator("[data-destructive]")).toHaveCount(2);
  await expect(paramsCard.locator("[data-destructive]").filter({ hasText: "250" })).toBeVisible();
  await expect(page.getByTestId("approval-chain")).toContainText(`agent ${w.agentName}`);
  await expect(page.getByTestId("approval-grants")).toContainText("via role Deployer");
  await expect(page.getByTestId("time-left")).toContainText("left");
  await page.screenshot({ path: "test-results/approval-detail.png", fullPage: true });

  const decision = page.getByTestId("approval-decision");
  await decision.getByLabel("Comment (optional)").fill("Customer called; refund approved");
  await expect(decision.getByRole("button", { name: "Approve" })).toBeDisabled();
  await decision.getByLabel("Your password").fill("not my password at all");
  await decision.getByRole("button", { name: "Approve" }).click();
  await expect(decision).toContainText("The password is not correct");
  await decision.getByLabel("Your password").fill(w.approver.password);
  await decision.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("approval-status")).toHaveText("approved");
  await expect(page.getByTestId("approval-outcome")).toContainText(`by ${w.approver.email}`);
  await expect(decision).toContainText("Customer called; refund approved");

  // the exact call goes through once; the replay needs a new approval
  const allowed = await decide(request, w, rsToken, params);
  expect(allowed.decision).toBe("allow");
  expect(allowed.reasons[0]!.code).toBe("approved");
  const replay = await decide(request, w, rsToken, params);
  expect(replay.decision).toBe("approval_required");
  expect(replay.approval!.id).not.toBe(id);

  await page.reload();
  await expect(page.getByTestId("approval-outcome")).toContainText("used by a call");
});

test("an approver denies with a comment, and the waiting agent reads it", async ({ page, request }) => {
  const w = world();
  const rsToken = await agentToken(request, w, w.audience);
  const apiToken = await agentToken(request, w);
  const asked = await decide(request, w, rsToken, { amount: 90_000, account: "acct_1" });
  expect(asked.decision).toBe("approval_required");

  await signIn(page, w.approver.email, w.approver.password);
  await page.goto(asked.approval!.url);
  await expect(page.getByTestId("approval-params")).toContainText("90000");

  // the agent waits on its request (long poll) while the approver decides
  const waiting = request.get(`/api/v1/approvals/${asked.approval!.id}?wait=25`, { headers: { authorization: `Bearer ${apiToken}` } });
  const decision = page.getByTestId("approval-decision");
  await decision.getByLabel("Comment (optional)").fill("Too large for one refund; split it and ask again");
  await decision.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByTestId("approval-status")).toHaveText("denied");

  const answer = await waiting;
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ id: asked.approval!.id, status: "denied", comment: "Too large for one refund; split it and ask again" });
  expect((await decide(request, w, rsToken, { amount: 90_000, account: "acct_1" })).decision).toBe("approval_required");

  // the history tab lists it with its outcome
  await page.goto("/approvals");
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByLabel("Filter by tool").fill(w.tool);
  const row = page.getByTestId("approval-history").getByTestId("approval-row").filter({ hasText: "denied" });
  await expect(row).toHaveCount(1);
});
