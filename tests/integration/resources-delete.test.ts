// Deleting a node with cascade, after a dry run: GET /api/v1/resources/{nodeId}/delete-preview lists the subtree and
// every grant on it with counts and a digest; DELETE ?cascade=true&digest= takes exactly that, in one transaction with
// one audit event, or answers 409 when the subtree changed in between. Error bodies are asserted exactly.
import { describe, expect, it } from "vitest";
import { GET as previewRoute } from "@/app/api/v1/resources/[nodeId]/delete-preview/route";
import { DELETE as deleteNodeRoute } from "@/app/api/v1/resources/[nodeId]/route";
import { getDb } from "@/lib/db/client";
import { readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { createNode } from "@/lib/resources/create-node";
import { testActor } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, DAY, makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();
const params = (nodeId: string) => routeParams({ nodeId });

async function preview(ref: string, key: string, qs = "") {
  return previewRoute(apiRequest(`/api/v1/resources/${encodeURIComponent(ref)}/delete-preview${qs}`, { key }), params(encodeURIComponent(ref)));
}

async function cascade(id: string, key: string, digest?: string) {
  const qs = `?cascade=true${digest ? `&digest=${encodeURIComponent(digest)}` : ""}`;
  return deleteNodeRoute(apiRequest(`/api/v1/resources/${id}${qs}`, { method: "DELETE", key }), params(id));
}

describe("GET /api/v1/resources/{nodeId}/delete-preview", () => {
  it("lists every node of the subtree in tree order and every grant on them with its status, and counts them", async () => {
    const key = await adminKey();
    const { root, nodes } = await makeTree(["a", "a/z", "a/b", "a/b/c", "e"]);
    const agent = await makeAgent();
    const tool = await makeTool({ risk: "write" });
    const past = new Date(Date.now() - 3 * DAY);
    const active = await makeGrant({ principal: { type: "agent", id: agent.id }, role: "Editor", node: nodes["a/b"]!.id });
    const onTool = await makeGrant({ principal: { type: "agent", id: agent.id }, tool: tool.name, node: nodes["a/b/c"]!.id });
    const scheduled = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.a!.id, notBefore: new Date(Date.now() + DAY).toISOString() });
    const expired = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes["a/z"]!.id, expiresAt: new Date(past.getTime() + DAY).toISOString() }, past);
    const revoked = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes["a/z"]!.id });
    await revokeGrant(db(), revoked.id, testActor);
    const outside = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.e!.id });
    const eventsBefore = await db().auditEvent.count({ where: { targetId: nodes.a!.id } });

    // by path, as everywhere a node is asked for
    const res = await preview(`${root}/a`, key);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["cascadeRequired", "digest", "grantCount", "grants", "grantsByStatus", "node", "nodeCount", "nodes"]);
    expect(body.node).toEqual({ id: nodes.a!.id, type: "folder", name: "a", path: `${root}/a` });
    expect(body.nodeCount).toBe(4);
    expect(body.grantCount).toBe(5);
    expect(body.grantsByStatus).toEqual({ active: 2, scheduled: 1, expired: 1, revoked: 1 });
    expect(body.cascadeRequired).toBe(true);
    expect(body.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // a parent before its children, siblings by name
    expect(body.nodes.map((n: { path: string }) => n.path)).toEqual([`${root}/a`, `${root}/a/b`, `${root}/a/b/c`, `${root}/a/z`]);
    expect(body.nodes[2]).toEqual({ id: nodes["a/b/c"]!.id, type: "folder", name: "c", path: `${root}/a/b/c`, depth: 3 });
    // in force first, then by node in tree order; never a grant outside the subtree
    expect(body.grants.map((g: { id: string; status: string }) => [g.id, g.status])).toEqual([
      [active.id, "active"],
      [onTool.id, "active"],
      [scheduled.id, "scheduled"],
      [expired.id, "expired"],
      [revoked.id, "revoked"],
    ]);
    expect(body.grants.some((g: { id: string }) => g.id === outside.id)).toBe(false);
    expect(body.grants[0]).toEqual({
      id: active.id,
      principal: { type: "agent", id: agent.id, label: agent.name },
      role: { id: expect.stringMatching(/^rol_/), name: "Editor" },
      tool: null,
      node: { id: nodes["a/b"]!.id, path: `${root}/a/b` },
      status: "active",
    });
    expect(body.grants[1]).toMatchObject({ role: null, tool: { id: tool.id, name: tool.name }, node: { path: `${root}/a/b/c` } });

    // the lists are capped by limit; the counts and the digest still cover everything
    const capped = await json(await preview(nodes.a!.id, key, "?limit=2"));
    expect(capped.nodes).toHaveLength(2);
    expect(capped.grants.map((g: { id: string }) => g.id)).toEqual([active.id, onTool.id]);
    expect(capped).toMatchObject({ nodeCount: 4, grantCount: 5, digest: body.digest });

    // a dry run changes nothing and records nothing
    expect(await db().resourceNode.count({ where: { id: { in: body.nodes.map((n: { id: string }) => n.id) } } })).toBe(4);
    expect(await db().auditEvent.count({ where: { targetId: nodes.a!.id } })).toBe(eventsBefore);
  });

  it("says when a plain delete would do: a leaf with only revoked grants", async () => {
    const key = await adminKey();
    const { nodes } = await makeTree(["leaf"]);
    const agent = await makeAgent();
    const g = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.leaf!.id });
    expect((await json(await preview(nodes.leaf!.id, key))).cascadeRequired).toBe(true);
    await revokeGrant(db(), g.id, testActor);
    const body = await json(await preview(nodes.leaf!.id, key));
    expect(body).toMatchObject({ nodeCount: 1, grantCount: 1, cascadeRequired: false, grantsByStatus: { active: 0, scheduled: 0, expired: 0, revoked: 1 } });
  });

  it("answers 404 for a missing node, 400 for a bad limit, 403 to non-admins", async () => {
    const key = await adminKey();
    const { root, nodes } = await makeTree(["a"]);
    const missing = await preview(`${root}/nope`, key);
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", `Resource node not found: no "nope" under ${root}`));
    const badLimit = await preview(nodes.a!.id, key, "?limit=0");
    expect(badLimit.status).toBe(400);
    expect(await json(badLimit)).toEqual(apiError("validation_failed", "limit: Too small: expected number to be >=1", [{ path: "limit", message: "Too small: expected number to be >=1" }]));
    const { session } = await consoleSession("auditor");
    const forbidden = await previewRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}/delete-preview`, { session }), params(nodes.a!.id));
    expect(forbidden.status).toBe(403);
    expect(await json(forbidden)).toEqual(apiError("forbidden", "Your role may not do this"));
  });
});

describe("DELETE /api/v1/resources/{nodeId}?cascade=true&digest=", () => {
  it("deletes exactly what the preview listed, in one change with one audit event, and moves the authz version", async () => {
    const key = await adminKey();
    const { root, nodes } = await makeTree(["a", "a/b", "a/b/c", "e"]);
    const agent = await makeAgent();
    const g1 = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.a!.id });
    const g2 = await makeGrant({ principal: { type: "agent", id: agent.id }, role: "Editor", node: nodes["a/b/c"]!.id });
    await revokeGrant(db(), g2.id, testActor);
    const kept = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.e!.id });
    const p = await json(await preview(nodes.a!.id, key));
    const v0 = await readAuthzVersion(db());

    const res = await cascade(nodes.a!.id, key, p.digest);
    expect(res.status).toBe(200);
    const body = await json(res);
    const gone = ["a", "a/b", "a/b/c"].map((rel) => nodes[rel]!.id);
    expect(body).toMatchObject({ id: nodes.a!.id, path: `${root}/a`, nodeCount: 3, grantCount: 2, grantIds: [g1.id, g2.id].sort() });
    expect([...body.nodeIds].sort()).toEqual([...gone].sort());
    expect(await readAuthzVersion(db())).toBeGreaterThan(v0);
    expect(await db().resourceNode.count({ where: { id: { in: gone } } })).toBe(0);
    expect(await db().grant.count({ where: { id: { in: [g1.id, g2.id] } } })).toBe(0);
    expect(await db().grant.count({ where: { id: kept.id } })).toBe(1);

    const events = await db().auditEvent.findMany({ where: { action: "node.delete", targetId: nodes.a!.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorType).toBe("api_key");
    const details = JSON.parse(events[0]!.details);
    expect(details).toMatchObject({ name: "a", type: "folder", cascade: true, digest: p.digest, path: `${root}/a`, nodeCount: 3, grantCount: 2, grantIds: [g1.id, g2.id].sort() });
    expect([...details.nodeIds].sort()).toEqual([...gone].sort());
  });

  it.each([
    ["a grant was added", async (n: Record<string, { id: string }>, agentId: string) => void (await makeGrant({ principal: { type: "agent", id: agentId }, node: n["a/b"]!.id }))],
    ["a node was added", async (n: Record<string, { id: string }>) => void (await createNode(db(), { type: "folder", name: "late", parent: n["a/b"]!.id }, testActor))],
    [
      "one grant was swapped for another (the same counts)",
      async (n: Record<string, { id: string }>, agentId: string) => {
        await db().grant.deleteMany({ where: { nodeId: n.a!.id } });
        await makeGrant({ principal: { type: "agent", id: agentId }, node: n["a/b"]!.id });
      },
    ],
  ])("is refused with 409 when %s since the preview, and nothing goes", async (_, change) => {
    const key = await adminKey();
    const { root, nodes } = await makeTree(["a", "a/b"]);
    const agent = await makeAgent();
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.a!.id });
    const p = await json(await preview(nodes.a!.id, key));
    await change(nodes, agent.id);
    const now = await json(await preview(nodes.a!.id, key));
    const v0 = await readAuthzVersion(db());

    const res = await cascade(nodes.a!.id, key, p.digest);
    expect(res.status).toBe(409);
    const nodesWord = now.nodeCount === 1 ? "node" : "nodes";
    const grantsWord = now.grantCount === 1 ? "grant" : "grants";
    expect(await json(res)).toEqual(
      apiError("conflict", `${root}/a changed since the preview: it now has ${now.nodeCount} ${nodesWord} and ${now.grantCount} ${grantsWord}; preview the delete again`),
    );
    expect(await db().resourceNode.count({ where: { id: nodes.a!.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "node.delete", targetId: nodes.a!.id } })).toBe(0);
    // the refused change rolled back with its counter bump
    expect(await readAuthzVersion(db())).toBe(v0);
    // the fresh preview's digest goes through
    expect((await cascade(nodes.a!.id, key, now.digest)).status).toBe(200);
  });

  it("refuses a malformed digest and a digest without cascade with 400", async () => {
    const key = await adminKey();
    const { nodes } = await makeTree(["a"]);
    const bad = await cascade(nodes.a!.id, key, "md5:abc");
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual(
      apiError("validation_failed", "digest: must be the digest of a delete preview (sha256:...)", [{ path: "digest", message: "must be the digest of a delete preview (sha256:...)" }]),
    );
    const { digest } = await json(await preview(nodes.a!.id, key));
    const plain = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}?digest=${digest}`, { method: "DELETE", key }), params(nodes.a!.id));
    expect(plain.status).toBe(400);
    expect(await json(plain)).toEqual(apiError("validation_failed", "digest: is only for a cascade delete", [{ path: "digest", message: "is only for a cascade delete" }]));
    expect(await db().resourceNode.count({ where: { id: nodes.a!.id } })).toBe(1);
  });
});
