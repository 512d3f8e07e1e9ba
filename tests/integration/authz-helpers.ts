// Factories for the authorization tests (resources, tools, roles, grants, resource servers). The database is shared
// by every test file of a run: root names, tool names and audiences carry a random tag, and nothing assumes an empty
// table. Everything is made through the real use cases.
import { createAgent } from "@/lib/agents/create-agent";
import { getDb } from "@/lib/db/client";
import { createGrant } from "@/lib/grants/create-grant";
import type { CreateGrantInput } from "@/lib/grants/schemas";
import { createNode } from "@/lib/resources/create-node";
import type { NodeView } from "@/lib/resources/node-view";
import { createTool } from "@/lib/tools/create-tool";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { BASE_URL, sessionCookie } from "../helpers/http";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function adminKey(): Promise<string> {
  return (await makeApiKey()).key;
}

/** A console session of a fresh user with this role, and the same-origin header its writes carry. */
export async function consoleSession(role: "admin" | "approver" | "auditor" | "viewer") {
  const { user, actor } = await makeUser({ role });
  return { user, actor, session: await sessionCookie({ uid: user.id, epoch: user.sessionEpoch }), headers: { origin: BASE_URL } };
}

/**
 * A tree under a fresh root `org-<tag>` (an organization). `spec` lists paths below the root, parents first; a
 * segment may be `type:name` (folder when no type is given). Returns the nodes by their path below the root ("" is
 * the root itself) and the root's name.
 */
export async function makeTree(spec: string[] = []): Promise<{ root: string; nodes: Record<string, NodeView> }> {
  const root = `org-${uniqueTag()}`;
  const nodes: Record<string, NodeView> = { "": await createNode(getDb(), { type: "organization", name: root }, testActor) };
  for (const rel of spec) {
    const segments = rel.split("/");
    const last = segments.at(-1)!;
    const [type, name] = last.includes(":") ? last.split(":") : ["folder", last];
    const parentRel = segments.slice(0, -1).map((s) => (s.includes(":") ? s.split(":")[1] : s)).join("/");
    const node = await createNode(getDb(), { type: type!, name: name!, parent: nodes[parentRel]!.id }, testActor);
    nodes[[parentRel, name].filter(Boolean).join("/")] = node;
  }
  return { root, nodes };
}

export async function makeTool(opts: { risk?: "read" | "write" | "irreversible"; paramsSchema?: Record<string, unknown>; name?: string } = {}) {
  return createTool(
    getDb(),
    { name: opts.name ?? `t${uniqueTag()}.${opts.risk ?? "read"}`, risk: opts.risk ?? "read", paramsSchema: opts.paramsSchema },
    testActor,
  );
}

export async function makeAgent(opts: { kind?: "autonomous" | "on_behalf_of" } = {}) {
  const { user } = await makeUser({ role: "admin" });
  const { agent } = await createAgent(getDb(), { name: `agent-${uniqueTag()}`, owner: user.email, kind: opts.kind ?? "autonomous", withSecret: false }, testActor);
  return agent;
}

export async function makeGrant(input: Partial<CreateGrantInput> & Pick<CreateGrantInput, "principal" | "node">, now?: Date) {
  return createGrant(getDb(), { reason: "test", ...(input.role || input.tool ? {} : { role: "Viewer" }), ...input } as CreateGrantInput, testActor, now);
}
