// A live kill-switch drill: a canary agent gets a real token through the real token endpoint, a decision allows it
// and introspection says active; then the kill switch is pulled and the drill measures how long until BOTH the
// introspection endpoint and the decision endpoint refuse that token. Both are called through the same plain
// handlers the HTTP server runs (credential cache, snapshot cache and all), every few milliseconds. Every step is
// recorded with its time in KillDrill.steps, and everything the drill made is removed again, even when it fails.
import { createAgent } from "@/lib/agents/create-agent";
import { changeCredentials } from "@/lib/agents/credential-cache";
import { killAgent } from "@/lib/agents/kill-agent";
import type { Actor } from "@/lib/audit/actor";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { handleDecisionRequest } from "@/lib/authz/decisions-endpoint";
import type { DbClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { authzChanged, invalidateLocalAuthz } from "@/lib/grants/authz-version";
import { createGrant } from "@/lib/grants/create-grant";
import { newId } from "@/lib/ids";
import type { PlainRequest } from "@/lib/http/plain";
import { handleIntrospectionRequest } from "@/lib/oauth/introspect-endpoint";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { createNode } from "@/lib/resources/create-node";
import { createTool } from "@/lib/tools/create-tool";
import { DRILL_PASS_MS, type DrillStep, type DrillView, toDrillView } from "./drill-view";

/** The root node every drill's canary node is made under (kept between drills; empty when no drill runs). */
export const DRILL_ROOT = "deputy-drills";
/** How often the token is re-checked after the kill, and how long before the drill gives up. */
const POLL_MS = 2;
const GIVE_UP_MS = 5_000;

type Made = { nodeId?: string; toolId?: string; grantId?: string; serverId?: string; agentIds: string[] };

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

function plain(headers: Record<string, string>, body: string): PlainRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: { get: (name) => lower.get(name.toLowerCase()) ?? null }, body: Buffer.from(body) };
}

/** A person to own the canary: the admin running the drill, or (API key, CLI) the oldest enabled admin. */
async function canaryOwner(db: DbClient, actor: Actor): Promise<string> {
  if (actor.type === "user") return actor.id;
  const admin = await db.user.findFirst({ where: { role: "admin", disabledAt: null }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (!admin) throw new AppError("conflict", "A drill needs an enabled admin user to own its canary agent");
  return admin.id;
}

async function drillRoot(db: DbClient, actor: Actor): Promise<string> {
  const find = () => db.resourceNode.findFirst({ where: { parentId: null, name: DRILL_ROOT }, select: { id: true } });
  const existing = await find();
  if (existing) return existing.id;
  try {
    return (await createNode(db, { type: "organization", name: DRILL_ROOT }, actor)).id;
  } catch (e) {
    const raced = e instanceof AppError && e.code === "conflict" ? await find() : null; // another drill made it first
    if (raced) return raced.id;
    throw e;
  }
}

/** Removes what the drill made, in one transaction; both caches forget it at once here and elsewhere within 250 ms. */
async function cleanUp(db: DbClient, made: Made): Promise<string> {
  await changeCredentials(db, async (tx) => {
    // said precisely, so that instances patch this out instead of reloading every grant (seconds at a million)
    const grants = await tx.grant.findMany({
      where: { OR: [...(made.nodeId ? [{ nodeId: made.nodeId }] : []), ...(made.grantId ? [{ id: made.grantId }] : [])] },
      select: { id: true, principalType: true, principalId: true },
    });
    await authzChanged(tx, { grants, nodes: made.nodeId ? [made.nodeId] : [], tools: made.toolId ? [made.toolId] : [] });
    if (made.nodeId) await tx.grant.deleteMany({ where: { nodeId: made.nodeId } });
    if (made.grantId) await tx.grant.deleteMany({ where: { id: made.grantId } });
    if (made.nodeId) await tx.resourceNode.deleteMany({ where: { id: made.nodeId } });
    if (made.toolId) await tx.tool.deleteMany({ where: { id: made.toolId } }); // its role memberships cascade
    // secrets, keys and approvals cascade with the agents; the audit trail keeps their history
    if (made.agentIds.length) await tx.agent.deleteMany({ where: { id: { in: made.agentIds } } });
    if (made.serverId) await tx.resourceServer.deleteMany({ where: { id: made.serverId } });
  });
  invalidateLocalAuthz();
  return `removed the canary and probe agents, grant, node, tool and resource server`;
}

/**
 * Runs one drill and returns it, finished. Passed when the time to effect is under DRILL_PASS_MS; failed when it is
 * not, when a step before the kill did not behave (no token, no allow, not active), or on any error.
 */
export async function runDrill(db: DbClient, actor: Actor): Promise<DrillView> {
  const id = newId("drill");
  const startedAt = new Date();
  await db.killDrill.create({ data: { id, status: "running", startedById: actor.id, startedAt } });
  const steps: DrillStep[] = [];
  const step = (name: string, ok: boolean, detail: string, at = new Date()) => {
    steps.push({ step: name, at: at.toISOString(), ok, detail });
    return ok;
  };
  const made: Made = { agentIds: [] };
  let canaryAgentId: string | null = null;
  let timeToEffectMs: number | null = null;
  let error: string | null = null;

  try {
    const tag = id.slice(-10);
    const ownerId = await canaryOwner(db, actor);
    const root = await drillRoot(db, actor);
    made.nodeId = (await createNode(db, { type: "folder", name: `canary-${tag}`, parent: root }, actor)).id;
    const tool = await createTool(db, { name: `deputy.drill.c${tag}`, risk: "read", description: "Kill-switch drill canary tool; removed after the drill" }, actor);
    made.toolId = tool.id;
    const audience = `https://drill-${tag}.deputy.invalid/`;
    const server = await createResourceServer(db, { name: `drill-${tag}`, audience, description: "Kill-switch drill; removed after the drill" }, actor);
    made.serverId = server.resourceServer.id;
    const canary = await createAgent(
      db,
      { name: `drill-canary-${tag}`, owner: ownerId, description: "Kill-switch drill canary; removed after the drill", allowedScopes: [tool.name] },
      actor,
    );
    made.agentIds.push(canary.agent.id);
    canaryAgentId = canary.agent.id;
    // introspection is asked by a second agent, as a resource server would: the canary's own credentials die with it
    const probe = await createAgent(db, { name: `drill-probe-${tag}`, owner: ownerId, canIntrospect: true, description: "Kill-switch drill introspection caller" }, actor);
    made.agentIds.push(probe.agent.id);
    made.grantId = (await createGrant(db, { principal: { type: "agent", id: canary.agent.id }, tool: tool.name, node: made.nodeId, reason: `kill-switch drill ${id}` }, actor)).id;
    step("setup", true, `canary ${canary.agent.name} granted ${tool.name} on ${DRILL_ROOT}/canary-${tag}; resource server ${audience}`);

    const tokenRes = await handleTokenRequest(
      plain(
        { authorization: basic(canary.agent.id, canary.clientSecret!), "content-type": "application/x-www-form-urlencoded" },
        new URLSearchParams({ grant_type: "client_credentials", scope: tool.name, resource: audience }).toString(),
      ),
    );
    const token = tokenRes.status === 200 ? (JSON.parse(tokenRes.body) as { access_token: string }).access_token : null;
    if (!step("token_issued", token !== null, token ? "client_credentials token from the token endpoint" : `token endpoint answered ${tokenRes.status}`) || !token) {
      throw new Error("the token endpoint gave the canary no token");
    }

    const introspect = async () => {
      const res = await handleIntrospectionRequest(
        plain({ authorization: basic(probe.agent.id, probe.clientSecret!), "content-type": "application/x-www-form-urlencoded" }, new URLSearchParams({ token }).toString()),
      );
      if (res.status !== 200) throw new Error(`introspection answered ${res.status}: ${res.body}`);
      return (JSON.parse(res.body) as { active: boolean }).active;
    };
    const decide = async () => {
      const res = await handleDecisionRequest(
        plain({ authorization: `Bearer ${server.secret}`, "content-type": "application/json" }, JSON.stringify({ token, tool: tool.name, resource: made.nodeId })),
      );
      if (res.status !== 200) throw new Error(`the decision endpoint answered ${res.status}: ${res.body}`);
      return JSON.parse(res.body) as { decision: string; reasons: { code: string }[] };
    };

    const before = await decide();
    if (!step("decision_allows", before.decision === "allow", `decision ${before.decision} (${before.reasons[0]?.code ?? "no reason"})`)) {
      throw new Error(`the decision before the kill was ${before.decision}, not allow`);
    }
    const activeBefore = await introspect();
    if (!step("introspection_active", activeBefore, `introspection active: ${activeBefore}`)) throw new Error("introspection said the fresh token was not active");

    // time to effect runs from the moment the switch is pulled, so the kill's own transaction counts too
    const pulledAt = performance.now();
    const pulled = new Date();
    const kill = await killAgent(db, canary.agent.id, { confirm: canary.agent.name, reason: `kill-switch drill ${id}` }, actor);
    step("kill_switch", true, `agent.kill committed in ${Math.round(performance.now() - pulledAt)} ms; ${kill.revokedSecretIds.length} secret revoked`, pulled);

    let introspectionAt: number | null = null;
    let decisionAt: number | null = null;
    let decisionCode = "";
    while (introspectionAt === null || decisionAt === null) {
      const [active, after] = await Promise.all([introspectionAt === null ? introspect() : false, decisionAt === null ? decide() : null]);
      const t = performance.now();
      if (introspectionAt === null && !active) {
        introspectionAt = t;
        step("introspection_rejects", true, `active: false after ${Math.round(t - pulledAt)} ms`);
      }
      if (decisionAt === null && after && after.decision !== "allow") {
        decisionAt = t;
        decisionCode = after.reasons[0]?.code ?? "";
        step("decision_denies", true, `${after.decision} (${decisionCode}) after ${Math.round(t - pulledAt)} ms`);
      }
      if (t - pulledAt > GIVE_UP_MS) {
        step("gave_up", false, `the token was still honoured ${GIVE_UP_MS} ms after the kill`);
        throw new Error(`the kill switch had not taken effect after ${GIVE_UP_MS} ms`);
      }
      if (introspectionAt === null || decisionAt === null) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    timeToEffectMs = Math.max(1, Math.ceil(Math.max(introspectionAt, decisionAt) - pulledAt));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    try {
      step("cleanup", true, await cleanUp(db, made));
    } catch (e) {
      step("cleanup", false, `clean-up failed: ${e instanceof Error ? e.message : String(e)}`);
      error ??= "the drill could not remove what it made";
    }
  }

  const passed = error === null && timeToEffectMs !== null && timeToEffectMs < DRILL_PASS_MS;
  if (!error && !passed) error = `time to effect ${timeToEffectMs} ms is not under ${DRILL_PASS_MS} ms`;
  const finishedAt = new Date();
  const row = await db.$transaction(async (tx) => {
    const r = await tx.killDrill.update({
      where: { id },
      data: { status: passed ? "passed" : "failed", canaryAgentId, steps: canonicalJson(steps), timeToEffectMs, error, finishedAt },
    });
    await recordAuditEvent(
      tx,
      { actor, action: "drill.run", target: { type: "drill", id }, result: passed ? "success" : "failure", details: { canaryAgentId, timeToEffectMs, error, status: r.status } },
      finishedAt,
    );
    return r;
  });
  return toDrillView(row);
}
