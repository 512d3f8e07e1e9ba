// Two Deputy instances on one PostgreSQL: the kill switch pulled on this one (the test process), and a grant revoked
// or created here, are honoured by the other (a separate Node process serving the hot endpoints, tests/helpers/peer-instance.mjs) within one second,
// with nothing shared between them but the database. Skipped on SQLite, where one file means one machine.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "@/lib/agents/create-agent";
import { killAgent } from "@/lib/agents/kill-agent";
import { restoreAgent } from "@/lib/agents/restore-agent";
import { getDb } from "@/lib/db/client";
import { createFreeze } from "@/lib/freezes/create-freeze";
import { liftFreeze } from "@/lib/freezes/lift-freeze";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { basicAuth } from "../helpers/oauth";
import { makeGrant, makeTool, makeTree } from "./authz-helpers";

const EFFECT_BOUND_MS = 1_000;
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const onPostgres = process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql";

let peer: ChildProcess | undefined;
let peerUrl: string;
let adminKey: string;
let audience: string;
let rsSecret: string;
let tool: string;
let tree: Awaited<ReturnType<typeof makeTree>>;

function startPeer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "tests/helpers/peer-instance.mjs")], { cwd: repoRoot, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    peer = child;
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.on("exit", (code) => reject(new Error(`peer instance exited (${code}): ${err}`)));
  });
}

async function peerPost(p: string, headers: Record<string, string>, body: string) {
  const res = await fetch(`${peerUrl}${p}`, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const form = { "content-type": "application/x-www-form-urlencoded" };

async function peerToken(id: string, secret: string) {
  return peerPost("/oauth/token", { ...form, authorization: basicAuth(id, secret) }, `grant_type=client_credentials&scope=${tool}&resource=${encodeURIComponent(audience)}`);
}

async function peerActive(token: string): Promise<boolean> {
  const r = await peerPost("/oauth/introspect", { ...form, authorization: `Bearer ${adminKey}` }, `token=${encodeURIComponent(token)}`);
  expect(r.status).toBe(200);
  return r.body.active as boolean;
}

async function peerDecision(token: string): Promise<string> {
  const r = await peerPost("/api/v1/decisions", { "content-type": "application/json", authorization: `Bearer ${rsSecret}` }, JSON.stringify({ token, tool, resource: tree.nodes[""]!.id }));
  expect(r.status).toBe(200);
  return r.body.decision as string;
}

/** Polls the peer every 10 ms until it refuses the token at both endpoints; the time since `since`, or Infinity. */
async function untilPeerRefuses(token: string, since: number): Promise<number> {
  while (performance.now() - since < EFFECT_BOUND_MS * 3) {
    const t0 = performance.now();
    const [active, decision] = await Promise.all([peerActive(token), peerDecision(token)]);
    if (process.env.KILL_DEBUG) console.log(`poll at ${(t0 - since).toFixed(0)} took ${(performance.now() - t0).toFixed(0)} ms: ${active} ${decision}`);
    if (!active && decision === "deny") return performance.now() - since;
    await new Promise((r) => setTimeout(r, 10));
  }
  return Number.POSITIVE_INFINITY;
}

async function agentWithToken() {
  const { user } = await makeUser({ role: "admin" });
  const { agent, clientSecret } = await createAgent(getDb(), { name: `peer-${uniqueTag()}`, owner: user.email, allowedScopes: [tool] }, testActor);
  await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool });
  const issued = await peerToken(agent.id, clientSecret!);
  expect(issued.status).toBe(200);
  const token = issued.body.access_token as string;
  // the peer has now cached the agent as active, and allows once it has read the new grant (within 250 ms)
  expect(await peerActive(token)).toBe(true);
  let decision = await peerDecision(token);
  for (const started = performance.now(); decision !== "allow" && performance.now() - started < EFFECT_BOUND_MS; ) {
    await new Promise((r) => setTimeout(r, 20));
    decision = await peerDecision(token);
  }
  expect(decision).toBe("allow");
  return { agent, secret: clientSecret!, token };
}

describe.skipIf(!onPostgres)("two instances on one PostgreSQL", () => {
  beforeAll(async () => {
    peerUrl = await startPeer();
    adminKey = (await makeApiKey()).key;
    audience = `https://peer-${uniqueTag()}.example/`;
    ({ secret: rsSecret } = await createResourceServer(getDb(), { name: "peer test server", audience }, testActor));
    tree = await makeTree();
    tool = (await makeTool()).name;
    // the first use of each query shape in a process pays for compiling it; a server that has run for a while has
    // paid. Warm both instances up with a kill that is not measured.
    const warm = await agentWithToken();
    await killAgent(getDb(), warm.agent.id, { confirm: warm.agent.name }, testActor);
    await untilPeerRefuses(warm.token, performance.now());
  });

  afterAll(() => {
    peer?.removeAllListeners("exit");
    peer?.kill("SIGTERM");
  });

  it("a kill on this instance is honoured by the other within 1 s; a restore's new secret works there, the old one not", async () => {
    const { agent, secret, token } = await agentWithToken();
    const pulled = performance.now();
    await killAgent(getDb(), agent.id, { confirm: agent.name }, testActor);
    if (process.env.KILL_DEBUG) console.log(`kill took ${(performance.now() - pulled).toFixed(0)} ms`);
    const elapsed = await untilPeerRefuses(token, pulled);
    console.log(`peer instance refused the killed agent's token after ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(EFFECT_BOUND_MS);

    expect((await peerToken(agent.id, secret)).status).toBe(401);
    const { clientSecret } = await restoreAgent(getDb(), agent.id, {}, testActor);
    // the peer notices the restore through the same counter: poll briefly for the new secret to work there
    let fresh = await peerToken(agent.id, clientSecret);
    for (const started = performance.now(); fresh.status !== 200 && performance.now() - started < EFFECT_BOUND_MS; ) {
      await new Promise((r) => setTimeout(r, 20));
      fresh = await peerToken(agent.id, clientSecret);
    }
    expect(fresh.status).toBe(200);
    expect(await peerActive(fresh.body.access_token as string)).toBe(true);
    expect(await peerActive(token)).toBe(false);
    expect((await peerToken(agent.id, secret)).status).toBe(401);
  });

  it("a freeze on this instance is honoured by the other within 1 s, and lifting it lets new tokens work there", async () => {
    const { agent, secret, token } = await agentWithToken();
    const started = performance.now();
    const freeze = await createFreeze(getDb(), { node: tree.nodes[""]!.id, reason: "peer test" }, testActor);
    expect(freeze.agentIds).toContain(agent.id);
    expect(await untilPeerRefuses(token, started)).toBeLessThan(EFFECT_BOUND_MS);
    await liftFreeze(getDb(), freeze.id, testActor);
    let fresh = await peerToken(agent.id, secret);
    for (const t = performance.now(); fresh.status !== 200 && performance.now() - t < EFFECT_BOUND_MS; ) {
      await new Promise((r) => setTimeout(r, 20));
      fresh = await peerToken(agent.id, secret);
    }
    expect(fresh.status).toBe(200);
    expect(await peerActive(token)).toBe(false); // tokens from before the freeze stay dead
  });
  it("a grant revoked or created on this instance is honoured by the other within 1 s (issue 4: authorization changes)", async () => {
    const { agent, token } = await agentWithToken();
    const grant = (await getDb().grant.findFirstOrThrow({ where: { principalId: agent.id, revokedAt: null } })).id;
    const revoked = performance.now();
    await revokeGrant(getDb(), grant, testActor);
    let elapsed = Number.POSITIVE_INFINITY;
    while (performance.now() - revoked < EFFECT_BOUND_MS * 3) {
      if ((await peerDecision(token)) === "deny") {
        elapsed = performance.now() - revoked;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(elapsed).toBeLessThan(EFFECT_BOUND_MS);

    const granted = performance.now();
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: tree.nodes[""]!.id, tool });
    elapsed = Number.POSITIVE_INFINITY;
    while (performance.now() - granted < EFFECT_BOUND_MS * 3) {
      if ((await peerDecision(token)) === "allow") {
        elapsed = performance.now() - granted;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(elapsed).toBeLessThan(EFFECT_BOUND_MS);
  });
});
