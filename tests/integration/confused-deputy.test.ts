// The guide's confused-deputy scenario, end to end through the decision route. A Cluster Debug Agent holds
// secrets.read on production and staging. A developer without production access asks it, on their behalf, to diff
// production against staging: the agent alone could read production, but acting for the developer it may not (the
// intersection of both). An SRE asking the same is allowed; posting the result to a channel whose members lack
// access is refused (authorization at output time). The developer's delegated token is minted as the consent flow
// mints it: sub = the developer, act = { sub: agent, epoch }, a deputy_resource subtree.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as decisionsRoute } from "@/app/api/v1/decisions/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { getDb } from "@/lib/db/client";
import { createGrant } from "@/lib/grants/create-grant";
import { signAccessToken } from "@/lib/oauth/access-token";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { basicAuth, formRequest, makeAgent } from "../helpers/oauth";
import { makeTool, makeTree } from "./authz-helpers";

let audience: string;
let rsSecret: string;
let tree: Awaited<ReturnType<typeof makeTree>>;
let secretsRead: string;
let debugAgent: { id: string; name: string; clientSecret: string; tokenEpoch: number };
let developer: { id: string; email: string };
let sre: { id: string; email: string };

const path = (rel: string) => [tree.root, rel].filter(Boolean).join("/");
const grant = (principal: { type: "agent" | "user"; id: string }, node: string) =>
  createGrant(getDb(), { principal, tool: secretsRead, node: tree.nodes[node]!.id, reason: "confused deputy test" }, testActor);

beforeAll(async () => {
  audience = `https://k8s-${uniqueTag()}.example/`;
  ({ secret: rsSecret } = await createResourceServer(getDb(), { name: "cluster control plane", audience }, testActor));
  tree = await makeTree(["production", "staging"]);
  secretsRead = (await makeTool({ name: `secrets-${uniqueTag()}.read` })).name;
  const made = await makeAgent({ scopes: [secretsRead], kind: "on_behalf_of" });
  debugAgent = { id: made.agent.id, name: made.agent.name, clientSecret: made.clientSecret, tokenEpoch: 0 };
  debugAgent.tokenEpoch = (await getDb().agent.findUniqueOrThrow({ where: { id: debugAgent.id } })).tokenEpoch;
  // the agent's own service-account-like capability: secrets.read on production and staging
  await grant({ type: "agent", id: debugAgent.id }, "production");
  await grant({ type: "agent", id: debugAgent.id }, "staging");
  developer = (await makeUser()).user;
  await grant({ type: "user", id: developer.id }, "staging");
  sre = (await makeUser()).user;
  await grant({ type: "user", id: sre.id }, "");
});

/** The person's delegated token for the debug agent, limited to `node` (the cluster by default). */
async function delegatedToken(person: string, node = "") {
  const { token } = await signAccessToken(getDb(), {
    agentId: debugAgent.id,
    tokenEpoch: debugAgent.tokenEpoch,
    scope: [secretsRead],
    audience,
    ttlSeconds: 600,
    subject: person,
    act: { sub: debugAgent.id, epoch: debugAgent.tokenEpoch },
    authorizationDetails: [{ type: "deputy_resource", node: tree.nodes[node]!.id, tools: [secretsRead] }],
  });
  return token;
}

type Reason = { code: string; message: string; role?: string; principal?: { id: string } };

async function ask(token: string, resource: string, audienceUsers?: string[]) {
  const res = await decisionsRoute(
    new Request("http://localhost:3000/api/v1/decisions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${rsSecret}` },
      body: JSON.stringify({ token, tool: secretsRead, resource, ...(audienceUsers ? { audience: audienceUsers } : {}) }),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { decision: string; reasons: Reason[] };
}

describe("the confused deputy: a Cluster Debug Agent asked to diff production against staging", () => {
  it("the agent on its own may read production secrets: the authority a confused deputy would lend out", async () => {
    const res = await tokenRoute(
      formRequest("/oauth/token", `grant_type=client_credentials&scope=${secretsRead}&resource=${encodeURIComponent(audience)}`, {
        authorization: basicAuth(debugAgent.id, debugAgent.clientSecret),
      }),
    );
    const own = ((await res.json()) as { access_token: string }).access_token;
    expect((await ask(own, path("production"))).decision).toBe("allow");
  });

  it("for a developer without production access: production is denied, naming the developer; staging is allowed", async () => {
    const token = await delegatedToken(developer.id);
    const production = await ask(token, path("production"));
    expect(production.decision).toBe("deny");
    // the first reason says why: the developer, not the agent, lacks production
    expect(production.reasons[0]).toMatchObject({ code: "no_grant", role: "principal", principal: { id: developer.id } });
    expect(production.reasons[0]!.message).toBe(`user ${developer.email} has no grant for ${secretsRead} on ${path("production")}`);
    // and the agent's own grant is shown as held: it is the intersection that fails
    expect(production.reasons.slice(1)).toEqual([expect.objectContaining({ code: "granted", principal: expect.objectContaining({ id: debugAgent.id }) })]);

    const staging = await ask(token, path("staging"));
    expect(staging.decision).toBe("allow");
  });

  it("the same request from an SRE who holds production: allowed", async () => {
    const token = await delegatedToken(sre.id);
    expect((await ask(token, path("production"))).decision).toBe("allow");
    expect((await ask(token, path("staging"))).decision).toBe("allow");
  });

  it("posting the diff to a channel whose members lack production access: denied, naming them", async () => {
    const token = await delegatedToken(sre.id);
    const otherSre = (await makeUser()).user;
    await grant({ type: "user", id: otherSre.id }, "");
    expect((await ask(token, path("production"), [sre.email, otherSre.email])).decision).toBe("allow");

    const channel = [sre.email, otherSre.email, developer.email];
    const posted = await ask(token, path("production"), channel);
    expect(posted.decision).toBe("deny");
    expect(posted.reasons[0]).toMatchObject({ code: "no_grant", role: "audience", principal: { id: developer.id } });
    expect(posted.reasons[0]!.message).toContain(developer.email);
    // staging is fine for the same channel: every member may see it
    expect((await ask(token, path("staging"), channel)).decision).toBe("allow");
  });

  it("a token the SRE delegated for staging only cannot be turned on production", async () => {
    const token = await delegatedToken(sre.id, "staging");
    const r = await ask(token, path("production"));
    expect(r).toMatchObject({ decision: "deny", reasons: [{ code: "outside_delegation" }] });
    expect(r.reasons[0]!.message).toBe(`${path("production")} is outside the token's delegation: the token is delegated for ${path("staging")} only`);
    expect((await ask(token, path("staging"))).decision).toBe("allow");
  });
});
