// A person delegates to an agent, click by click: the agent sends them to /oauth/authorize, they sign in, untick a
// tool on the consent screen and approve; the agent redeems the code with PKCE and its token works for a decision at
// a resource server registered through the API. Then the person revokes the consent on Connected agents, and the
// token stops working (introspection inactive, decisions denied).
import { createHash, randomBytes } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./env";
import { cli, createUser } from "./helpers";

test.describe.configure({ timeout: 90_000 });

// nothing listens here: the browser's visit to the agent's callback is answered by page.route below
const REDIRECT = "http://127.0.0.1:9/callback";

/** A tree, two tools, an on-behalf-of agent allowed both, a person holding both, an admin API key, a resource server.
 * The agent, the person and the key come from the CLI; the rest through the API with that key (quicker than a CLI run each). */
async function world(request: APIRequestContext) {
  const t = randomBytes(3).toString("hex");
  const key = cli("api-key", "create", "--name", `consent-e2e-${t}`);
  const api = async (path: string, data: unknown) => {
    const res = await request.post(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` }, data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const root = `acme-${t}`;
  await api("/resources", { type: "organization", name: root });
  await api("/resources", { type: "project", name: "api", parent: root });
  const readTool = `docs${t}.read`;
  const writeTool = `docs${t}.write`;
  await api("/tools", { name: readTool, risk: "read" });
  await api("/tools", { name: writeTool, risk: "write" });
  const agentName = `assistant-${t}`;
  const agent = JSON.parse(
    cli("agent", "create", "--name", agentName, "--owner", E2E_ADMIN.email, "--kind", "on_behalf_of", "--scopes", `${readTool} ${writeTool}`, "--redirect-uris", REDIRECT, "--json"),
  ) as { id: string; client_secret: string };
  const person = createUser("viewer");
  for (const tool of [readTool, writeTool]) {
    await api("/grants", { principal: { type: "agent", id: agent.id }, tool, node: root, reason: "e2e: the assistant" });
    await api("/grants", { principal: { type: "user", email: person.email }, tool, node: root, reason: "e2e: the person" });
  }
  const audience = `https://docs-${t}.example/`;
  const rsSecret = (await api("/resource-servers", { name: `docs-${t}`, audience })).secret as string;
  return { root, resource: `${root}/api`, readTool, writeTool, agent, agentName, person, key, audience, rsSecret };
}
type World = Awaited<ReturnType<typeof world>>;

async function decide(request: APIRequestContext, w: World, token: string, tool: string) {
  const res = await request.post("/api/v1/decisions", { headers: { authorization: `Bearer ${w.rsSecret}` }, data: { token, tool, resource: w.resource } });
  expect(res.status()).toBe(200);
  return (await res.json()) as { decision: string; reasons: { code: string; message: string }[] };
}

async function introspect(request: APIRequestContext, w: World, token: string) {
  const res = await request.post("/oauth/introspect", { headers: { authorization: `Bearer ${w.key}` }, form: { token } });
  expect(res.status()).toBe(200);
  return (await res.json()) as { active: boolean; sub?: string; scope?: string };
}

test("a person consents with a narrowed scope, the agent's token works, and revoking it on Connected agents stops it", async ({ page, request }) => {
  const w = await world(request);
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = `/oauth/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: w.agent.id,
    redirect_uri: REDIRECT,
    scope: `${w.readTool} ${w.writeTool}`,
    state: "e2e-state",
    code_challenge: challenge,
    code_challenge_method: "S256",
    node: w.root,
    duration: "3600",
    resource: w.audience,
  })}`;
  let callback: URL | null = null;
  await page.route(`${REDIRECT}**`, async (route) => {
    callback = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/plain", body: "the agent got its answer" });
  });

  // not signed in: sign-in first, then straight back to the consent screen
  await page.goto(authorize);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(w.person.email);
  await page.getByLabel("Password").fill(w.person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/oauth\/authorize\?/);

  const form = page.getByTestId("consent-form");
  await expect(form.getByTestId("consent-agent")).toHaveText(w.agentName);
  await expect(form.getByTestId("consent-agent-owner")).toHaveText(E2E_ADMIN.email);
  await expect(form.getByTestId("consent-tools")).toContainText("write");
  await expect(form.getByTestId("consent-node")).toHaveValue(/^res_/);
  await expect(form.getByTestId("consent-resource")).toHaveText(w.audience);
  // the consent screen is a page with the console's Content-Security-Policy, and cannot be framed
  const headers = (await page.request.get(authorize, { maxRedirects: 0 })).headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");

  // narrow: untick the write tool, then approve
  await form.getByRole("checkbox", { name: w.writeTool }).uncheck();
  await page.screenshot({ path: "test-results/consent-screen.png", fullPage: true });
  await form.getByRole("button", { name: "Approve" }).click();
  await expect.poll(() => callback?.searchParams.get("state") ?? null).toBe("e2e-state");
  // the browser lands on the callback before anything else navigates (else the next goto races this navigation)
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:9\/callback\?/);
  const code = callback!.searchParams.get("code")!;
  expect(code).toMatch(/^dpc_/);

  // the agent redeems the code with its secret and the PKCE verifier
  const basic = `Basic ${Buffer.from(`${w.agent.id}:${w.agent.client_secret}`).toString("base64")}`;
  const tokenRes = await request.post("/oauth/token", {
    headers: { authorization: basic },
    form: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier },
  });
  expect(tokenRes.status()).toBe(200);
  const token = (await tokenRes.json()) as { access_token: string; scope: string };
  expect(token.scope).toBe(w.readTool);
  // single use
  const replay = await request.post("/oauth/token", {
    headers: { authorization: basic },
    form: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier },
  });
  expect(replay.status()).toBe(400);
  expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");

  // a second consent, to revoke from the console (the replay above revoked the first one, as RFC 6749 4.1.2 asks)
  callback = null;
  await page.goto(authorize);
  await page.getByTestId("consent-form").getByRole("checkbox", { name: w.writeTool }).uncheck();
  await page.getByTestId("consent-form").getByRole("button", { name: "Approve" }).click();
  await expect.poll(() => callback?.searchParams.get("code") ?? null).toMatch(/^dpc_/);
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:9\/callback\?/);
  const second = await request.post("/oauth/token", {
    headers: { authorization: basic },
    form: { grant_type: "authorization_code", code: callback!.searchParams.get("code")!, redirect_uri: REDIRECT, code_verifier: verifier },
  });
  expect(second.status()).toBe(200);
  const live = ((await second.json()) as { access_token: string }).access_token;
  expect(await introspect(request, w, token.access_token)).toEqual({ active: false });
  expect(await introspect(request, w, live)).toMatchObject({ active: true, scope: w.readTool });
  expect((await decide(request, w, live, w.readTool)).decision).toBe("allow");
  expect((await decide(request, w, live, w.writeTool)).reasons[0]!.code).toBe("not_in_scope");

  // the person revokes it on Connected agents
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Connected agents" }).click();
  await expect(page).toHaveURL(/\/connected-agents$/);
  const rows = page.getByTestId("consent-row").filter({ hasText: w.agentName });
  await expect(rows).toHaveCount(2);
  const active = rows.filter({ hasText: "active" });
  await expect(active).toHaveCount(1);
  await expect(active).toContainText(w.readTool);
  await expect(active).not.toContainText(w.writeTool);
  await expect(active).toContainText(w.root);
  await expect(rows.filter({ hasText: "revoked" })).toHaveCount(1);
  await active.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke consent" }).click();
  await expect(rows.filter({ hasText: "revoked" })).toHaveCount(2);

  expect(await introspect(request, w, live)).toEqual({ active: false });
  const denied = await decide(request, w, live, w.readTool);
  expect(denied.decision).toBe("deny");
  expect(denied.reasons[0]!.code).toBe("token_inactive");

  // refusing sends the agent access_denied with its state, and makes no consent
  callback = null;
  await page.goto(authorize);
  await page.getByTestId("consent-form").getByRole("button", { name: "Deny" }).click();
  await expect.poll(() => callback?.searchParams.get("error") ?? null).toBe("access_denied");
  expect(callback!.searchParams.get("state")).toBe("e2e-state");
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:9\/callback\?/);
  await page.goto("/connected-agents");
  await expect(page.getByTestId("consent-row").filter({ hasText: w.agentName })).toHaveCount(2);
});

test("an unregistered redirect URI is shown as an error and never followed", async ({ page }) => {
  const agent = JSON.parse(
    cli("agent", "create", "--name", `assistant-${randomBytes(3).toString("hex")}`, "--owner", E2E_ADMIN.email, "--kind", "on_behalf_of", "--redirect-uris", REDIRECT, "--json"),
  ) as { id: string };
  const person = createUser("viewer");
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(
    `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: agent.id, redirect_uri: "https://evil.example/cb", code_challenge: "x".repeat(43), code_challenge_method: "S256" })}`,
  );
  await expect(page.getByTestId("authorize-error")).toContainText("not one registered");
  // still on Deputy
  await expect(page).toHaveURL(/\/oauth\/authorize\?/);
});
