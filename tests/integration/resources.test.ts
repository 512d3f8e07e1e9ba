// The resource tree, through the use cases and the real /api/v1/resources and /api/v1/node-types route handlers:
// create (names, types, siblings, depth), path resolution (name and type:name segments, ambiguity, the first missing
// segment), rename, move (cycles refused, the subtree's idPaths and depths rewritten in one statement), delete
// (refused while children or grants remain, cascade with its audit event), lazy children with keyset paging, search,
// and who holds what on a node. Error bodies are asserted exactly.
import { describe, expect, it } from "vitest";
import { GET as accessRoute } from "@/app/api/v1/resources/[nodeId]/access/route";
import { DELETE as deleteNodeRoute, GET as getNodeRoute, PATCH as patchNodeRoute } from "@/app/api/v1/resources/[nodeId]/route";
import { GET as listResourcesRoute, POST as createNodeRoute } from "@/app/api/v1/resources/route";
import { GET as listTypesRoute, POST as createTypeRoute } from "@/app/api/v1/node-types/route";
import { getDb } from "@/lib/db/client";
import { readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { accessAt } from "@/lib/resources/access-at";
import { createNode } from "@/lib/resources/create-node";
import { deleteNode } from "@/lib/resources/delete-node";
import { getNode } from "@/lib/resources/get-node";
import { listChildren } from "@/lib/resources/list-children";
import { moveNode } from "@/lib/resources/move-node";
import { resolveNodeRef } from "@/lib/resources/resolve-node-ref";
import { searchNodes } from "@/lib/resources/search-nodes";
import { newId } from "@/lib/ids";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, DAY, makeAgent, makeGrant, makeTree } from "./authz-helpers";

const db = () => getDb();
const params = (nodeId: string) => routeParams({ nodeId });

const NODE_VIEW_KEYS = ["createdAt", "depth", "id", "name", "parentId", "path", "type", "updatedAt"];

describe("POST /api/v1/resources", () => {
  it("creates a root and children (201), maintains idPath and depth, and audits node.create", async () => {
    const key = await adminKey();
    const root = `acme-${uniqueTag()}`;
    const r1 = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "organization", name: ` ${root} ` } }));
    expect(r1.status).toBe(201);
    const org = await json(r1);
    expect(Object.keys(org).sort()).toEqual(NODE_VIEW_KEYS);
    expect(org).toMatchObject({ parentId: null, type: "organization", name: root, path: root, depth: 0 });
    expect(org.id).toMatch(/^res_[0-9a-z]{26}$/);

    // the parent by path
    const r2 = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "project", name: "platform", parent: root } }));
    expect(r2.status).toBe(201);
    const platform = await json(r2);
    // and by id
    const r3 = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "repository", name: "api", parent: platform.id } }));
    const api = await json(r3);
    expect(api).toMatchObject({ parentId: platform.id, path: `${root}/platform/api`, depth: 2 });

    const row = await db().resourceNode.findUniqueOrThrow({ where: { id: api.id } });
    expect(row.idPath).toBe(`${org.id}/${platform.id}/${api.id}/`);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "node.create", targetId: api.id } });
    expect(event.actorType).toBe("api_key");
    expect(JSON.parse(event.details)).toEqual({ name: "api", type: "repository", parentId: platform.id, path: `${root}/platform/api` });
  });

  it.each([
    ["a name with /", { type: "folder", name: "a/b" }, "name", 'must not contain "/" or ":"'],
    ["a name with :", { type: "folder", name: "branch:x" }, "name", 'must not contain "/" or ":"'],
    ["a blank name", { type: "folder", name: "  " }, "name", "is required"],
    ["a name over 100 characters", { type: "folder", name: "x".repeat(101) }, "name", "must be at most 100 characters"],
    ["a malformed type", { type: "Folder!", name: "x" }, "type", "must be lower-case letters, digits and dashes, starting with a letter (at most 40)"],
  ])("refuses %s with 400", async (_, body, path, message) => {
    const res = await createNodeRoute(apiRequest("/api/v1/resources", { key: await adminKey(), json: body }));
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("validation_failed", `${path}: ${message}`, [{ path, message }]));
  });

  it("refuses an unknown type (400) and an unknown parent (404 naming the missing segment)", async () => {
    const key = await adminKey();
    const { root } = await makeTree();
    const t = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "galaxy", name: "x", parent: root } }));
    expect(t.status).toBe(400);
    expect(await json(t)).toEqual(apiError("validation_failed", "type: no node type galaxy", [{ path: "type", message: "no node type galaxy" }]));
    const p = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "folder", name: "x", parent: `${root}/nope/deeper` } }));
    expect(p.status).toBe(404);
    expect(await json(p)).toEqual(apiError("not_found", `Resource node not found: no "nope" under ${root}`));
  });

  it("keeps names unique among siblings, roots included (409), but not across parents", async () => {
    const key = await adminKey();
    const { root, nodes } = await makeTree(["a", "b", "a/x"]);
    const dup = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "folder", name: "x", parent: nodes.a!.id } }));
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", `A node named "x" already exists under ${root}/a`));
    // the same name under another parent is fine
    expect((await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "folder", name: "x", parent: nodes.b!.id } }))).status).toBe(201);
    const rootDup = await createNodeRoute(apiRequest("/api/v1/resources", { key, json: { type: "workspace", name: root } }));
    expect(rootDup.status).toBe(409);
    expect(await json(rootDup)).toEqual(apiError("conflict", `A root node named "${root}" already exists`));
  });

  it("refuses a 33rd level (409)", async () => {
    const { nodes } = await makeTree();
    let parent = nodes[""]!;
    for (let level = 2; level <= 32; level++) parent = await createNode(db(), { type: "folder", name: `l${level}`, parent: parent.id }, testActor);
    expect(parent.depth).toBe(31);
    await expect(createNode(db(), { type: "folder", name: "l33", parent: parent.id }, testActor)).rejects.toMatchObject({
      code: "conflict",
      message: "The tree is at most 32 levels deep",
    });
  });

  it("lets every console role read, and only admins write", async () => {
    const { root, nodes } = await makeTree(["a"]);
    for (const role of ["approver", "auditor", "viewer"] as const) {
      const { session, headers } = await consoleSession(role);
      expect((await listResourcesRoute(apiRequest(`/api/v1/resources?parent=${root}`, { session }))).status).toBe(200);
      expect((await getNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}`, { session }), params(nodes.a!.id))).status).toBe(200);
      expect((await accessRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}/access`, { session }), params(nodes.a!.id))).status).toBe(200);
      expect((await listTypesRoute(apiRequest("/api/v1/node-types", { session }))).status).toBe(200);
      const post = await createNodeRoute(apiRequest("/api/v1/resources", { session, headers, json: { type: "folder", name: "no", parent: root } }));
      expect(post.status).toBe(403);
      expect(await json(post)).toEqual(apiError("forbidden", "Your role may not do this"));
      const del = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}`, { method: "DELETE", session, headers }), params(nodes.a!.id));
      expect(del.status).toBe(403);
    }
  });
});

describe("tree paths", () => {
  it("resolve name and type:name segments from the roots; ids resolve too", async () => {
    const { root, nodes } = await makeTree(["project:platform", "platform/repository:api", "platform/api/branch:feature-xyz"]);
    const key = await adminKey();
    const res = await listResourcesRoute(apiRequest(`/api/v1/resources?path=${encodeURIComponent(`${root}/platform/api/branch:feature-xyz`)}`, { key }));
    expect(res.status).toBe(200);
    const node = await json(res);
    expect(node).toMatchObject({
      id: nodes["platform/api/feature-xyz"]!.id,
      path: `${root}/platform/api/feature-xyz`,
      childCount: 0,
      grantCount: 0,
      ancestors: [
        { id: nodes[""]!.id, type: "organization", name: root },
        { id: nodes.platform!.id, type: "project", name: "platform" },
        { id: nodes["platform/api"]!.id, type: "repository", name: "api" },
      ],
    });
    expect((await resolveNodeRef(db(), `organization:${root}/project:platform`)).id).toBe(nodes.platform!.id);
    expect((await resolveNodeRef(db(), `/${root}/platform/`)).id).toBe(nodes.platform!.id);
    expect((await resolveNodeRef(db(), nodes.platform!.id)).name).toBe("platform");

    // a type that does not fit is a missing segment
    await expect(resolveNodeRef(db(), `${root}/platform/branch:api`)).rejects.toMatchObject({
      code: "not_found",
      message: `Resource node not found: no "branch:api" under ${root}/platform`,
    });
    await expect(resolveNodeRef(db(), `nope-${uniqueTag()}/x`)).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/^Resource node not found: no root "nope-/) });
    await expect(resolveNodeRef(db(), newId("resourceNode"))).rejects.toMatchObject({ code: "not_found", message: "Resource node not found" });
    await expect(resolveNodeRef(db(), `${root}//platform`)).rejects.toMatchObject({ code: "validation_failed", message: `path: has an empty segment: ${root}//platform` });
    await expect(resolveNodeRef(db(), `${root}/a:b:c`)).rejects.toMatchObject({ code: "validation_failed", message: 'path: segment "a:b:c" has more than one ":"; use name or type:name' });

    // GET /resources/{nodeId} takes an encoded path as well as an id
    const byPath = await getNodeRoute(apiRequest(`/api/v1/resources/${encodeURIComponent(`${root}/platform`)}`, { key }), params(encodeURIComponent(`${root}/platform`)));
    expect((await json(byPath)).id).toBe(nodes.platform!.id);
  });

  it("answers 400 listing the candidates when a segment is ambiguous", async () => {
    // root names are unique by the use case, not by an index (NULL parents): duplicates that slipped in are reported
    const name = `dup-${uniqueTag()}`;
    const ids = [newId("resourceNode"), newId("resourceNode")];
    for (const [i, id] of ids.entries()) {
      await db().resourceNode.create({ data: { id, name, type: i === 0 ? "organization" : "workspace", idPath: `${id}/`, depth: 0 } });
    }
    const res = await listResourcesRoute(apiRequest(`/api/v1/resources?path=${name}`, { key: await adminKey() }));
    expect(res.status).toBe(400);
    const sorted = [...ids].sort();
    expect(await json(res)).toEqual(
      apiError(
        "bad_request",
        `Path segment "${name}" at the root is ambiguous: 2 nodes match; name the node by its id`,
        sorted.map((id) => ({ id, type: id === ids[0] ? "organization" : "workspace", path: name })),
      ),
    );
    // type:name tells them apart here
    expect((await resolveNodeRef(db(), `workspace:${name}`)).id).toBe(ids[1]);
    for (const id of ids) await db().resourceNode.delete({ where: { id } });
  });
});

describe("PATCH /api/v1/resources/{nodeId}", () => {
  it("moves a node with its subtree: one UPDATE rewrites every idPath and depth below it", async () => {
    const { root, nodes } = await makeTree(["a", "a/b", "a/b/c", "a/b/c/d", "x", "x/y"]);
    const key = await adminKey();
    const b = nodes["a/b"]!;
    const res = await patchNodeRoute(apiRequest(`/api/v1/resources/${b.id}`, { method: "PATCH", key, json: { parentId: `${root}/x/y` } }), params(b.id));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: b.id, parentId: nodes["x/y"]!.id, path: `${root}/x/y/b`, depth: 3 });

    const ids = (rel: string) => nodes[rel]!.id;
    const grandchild = await db().resourceNode.findUniqueOrThrow({ where: { id: ids("a/b/c") } });
    expect(grandchild.idPath).toBe(`${ids("")}/${ids("x")}/${ids("x/y")}/${ids("a/b")}/${ids("a/b/c")}/`);
    expect(grandchild.depth).toBe(4);
    const great = await db().resourceNode.findUniqueOrThrow({ where: { id: ids("a/b/c/d") } });
    expect(great.idPath).toBe(`${grandchild.idPath}${ids("a/b/c/d")}/`);
    expect(great.depth).toBe(5);
    // the old parent's other rows are untouched
    expect((await db().resourceNode.findUniqueOrThrow({ where: { id: ids("a") } })).idPath).toBe(`${ids("")}/${ids("a")}/`);
    expect((await getNode(db(), ids("a/b/c/d"))).path).toBe(`${root}/x/y/b/c/d`);

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "node.move", targetId: b.id } });
    expect(JSON.parse(event.details)).toEqual({
      fromParentId: ids("a"),
      toParentId: ids("x/y"),
      fromPath: `${root}/a/b`,
      path: `${root}/x/y/b`,
      movedNodes: 3,
    });

    // to the root, and back
    const toRoot = await moveNode(db(), b.id, { parent: null }, testActor);
    expect(toRoot).toMatchObject({ parentId: null, path: "b", depth: 0 });
    expect((await db().resourceNode.findUniqueOrThrow({ where: { id: ids("a/b/c/d") } })).idPath).toBe(`${b.id}/${ids("a/b/c")}/${ids("a/b/c/d")}/`);
    await moveNode(db(), b.id, { parent: ids("a") }, testActor);
    expect((await db().resourceNode.findUniqueOrThrow({ where: { id: ids("a/b/c/d") } })).depth).toBe(4);
  });

  it("refuses to move a node under itself or one of its descendants (409: would create a cycle)", async () => {
    const { root, nodes } = await makeTree(["a", "a/b", "a/b/c"]);
    const key = await adminKey();
    const a = nodes.a!;
    const self = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: { parentId: a.id } }), params(a.id));
    expect(self.status).toBe(409);
    expect(await json(self)).toEqual(apiError("conflict", `Moving ${root}/a under itself would create a cycle`));
    const below = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: { parentId: `${root}/a/b/c` } }), params(a.id));
    expect(below.status).toBe(409);
    expect(await json(below)).toEqual(apiError("conflict", `Moving ${root}/a under ${root}/a/b/c would create a cycle`));
    // nothing moved, nothing recorded
    expect((await db().resourceNode.findUniqueOrThrow({ where: { id: nodes["a/b/c"]!.id } })).depth).toBe(3);
    expect(await db().auditEvent.count({ where: { action: "node.move", targetId: a.id } })).toBe(0);
  });

  it("renames (unique among siblings), and a rename with a move is one change", async () => {
    const { root, nodes } = await makeTree(["a", "b", "b/a"]);
    const key = await adminKey();
    const a = nodes.a!;
    const taken = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: { name: "b" } }), params(a.id));
    expect(taken.status).toBe(409);
    expect(await json(taken)).toEqual(apiError("conflict", `A node named "b" already exists under ${root}`));
    // moving "a" under b would clash with b/a, so the rename-and-move fails as a whole
    const clash = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: { name: "a", parentId: nodes.b!.id } }), params(a.id));
    expect(clash.status).toBe(409);
    const both = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: { name: "a2", parentId: nodes.b!.id } }), params(a.id));
    expect(both.status).toBe(200);
    expect(await json(both)).toMatchObject({ name: "a2", path: `${root}/b/a2`, depth: 2 });
    const rename = await db().auditEvent.findFirstOrThrow({ where: { action: "node.rename", targetId: a.id } });
    expect(JSON.parse(rename.details)).toEqual({ from: "a", to: "a2", fromPath: `${root}/a`, path: `${root}/a2` });

    const empty = await patchNodeRoute(apiRequest(`/api/v1/resources/${a.id}`, { method: "PATCH", key, json: {} }), params(a.id));
    expect(empty.status).toBe(400);
    expect(await json(empty)).toEqual(apiError("validation_failed", "name: give name and/or parentId", [{ path: "name", message: "give name and/or parentId" }]));
  });
});

describe("DELETE /api/v1/resources/{nodeId}", () => {
  it("is refused while the node has children or grants, and deletes a bare node", async () => {
    const { root, nodes } = await makeTree(["a", "a/b", "c"]);
    const key = await adminKey();
    const agent = await makeAgent();
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.a!.id });
    const res = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}`, { method: "DELETE", key }), params(nodes.a!.id));
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual(
      apiError("conflict", `Cannot delete ${root}/a: it has 1 child and 1 grant; delete with cascade to remove the subtree and its grants`),
    );
    // a revoked grant does not hold a node back; its row goes with it
    const g = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.c!.id });
    await revokeGrant(db(), g.id, testActor);
    const ok = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.c!.id}`, { method: "DELETE", key }), params(nodes.c!.id));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ id: nodes.c!.id, path: `${root}/c`, nodeCount: 1, grantCount: 1, nodeIds: [nodes.c!.id], grantIds: [g.id] });
    expect(await db().grant.count({ where: { id: g.id } })).toBe(0);
  });

  it("with cascade deletes the subtree and its grants, and the audit event lists what went", async () => {
    const { root, nodes } = await makeTree(["a", "a/b", "a/b/c", "a/d", "e"]);
    const agent = await makeAgent();
    const g1 = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes["a/b"]!.id });
    const g2 = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes["a/b/c"]!.id });
    const kept = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.e!.id });
    const res = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}?cascade=true`, { method: "DELETE", key: await adminKey() }), params(nodes.a!.id));
    expect(res.status).toBe(200);
    const body = await json(res);
    const gone = ["a", "a/b", "a/b/c", "a/d"].map((rel) => nodes[rel]!.id);
    expect(body).toMatchObject({ id: nodes.a!.id, path: `${root}/a`, nodeCount: 4, grantCount: 2 });
    expect([...body.nodeIds].sort()).toEqual([...gone].sort());
    expect(body.grantIds).toEqual([g1.id, g2.id].sort());
    expect(await db().resourceNode.count({ where: { id: { in: gone } } })).toBe(0);
    expect(await db().grant.count({ where: { id: { in: [g1.id, g2.id] } } })).toBe(0);
    expect(await db().grant.count({ where: { id: kept.id } })).toBe(1);
    expect(await db().resourceNode.count({ where: { id: { in: [nodes[""]!.id, nodes.e!.id] } } })).toBe(2);

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "node.delete", targetId: nodes.a!.id } });
    const details = JSON.parse(event.details);
    expect(details).toMatchObject({ name: "a", type: "folder", cascade: true, path: `${root}/a`, nodeCount: 4, grantCount: 2, grantIds: [g1.id, g2.id].sort() });
    expect([...details.nodeIds].sort()).toEqual([...gone].sort());
  });

  it("refuses a cascade value that is not a boolean", async () => {
    const { nodes } = await makeTree(["a"]);
    const res = await deleteNodeRoute(apiRequest(`/api/v1/resources/${nodes.a!.id}?cascade=maybe`, { method: "DELETE", key: await adminKey() }), params(nodes.a!.id));
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe("cascade: must be true or false");
  });
});

describe("GET /api/v1/resources (children, search)", () => {
  it("lists children by name with their child counts, a page at a time", async () => {
    const { root, nodes } = await makeTree(["m", "c", "x", "a", "q", "c/1", "c/2", "a/1"]);
    const key = await adminKey();
    const seen: { name: string; childCount: number; path: string }[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const qs: string = `parent=${encodeURIComponent(root)}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await listResourcesRoute(apiRequest(`/api/v1/resources?${qs}`, { key }));
      expect(res.status).toBe(200);
      const page = await json(res);
      expect(page.parent).toMatchObject({ id: nodes[""]!.id, path: root });
      seen.push(...page.nodes);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen.map((n) => [n.name, n.childCount, n.path])).toEqual([
      ["a", 1, `${root}/a`],
      ["c", 2, `${root}/c`],
      ["m", 0, `${root}/m`],
      ["q", 0, `${root}/q`],
      ["x", 0, `${root}/x`],
    ]);

    // the roots: this tree's root is among them
    const roots = await listChildren(db(), { limit: 500 });
    expect(roots.parent).toBeNull();
    const all = [...roots.nodes];
    for (let c = roots.nextCursor; c; ) {
      const p = await listChildren(db(), { limit: 500, cursor: c });
      all.push(...p.nodes);
      c = p.nextCursor;
    }
    expect(all.find((n) => n.id === nodes[""]!.id)).toMatchObject({ path: root, depth: 0, childCount: 5 });

    const bad = await listResourcesRoute(apiRequest(`/api/v1/resources?parent=${nodes.a!.id}&cursor=${Buffer.from("{}").toString("base64url")}`, { key }));
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual(apiError("validation_failed", "cursor: is not a cursor of this listing", [{ path: "cursor", message: "is not a cursor of this listing" }]));
    const tooMany = await listResourcesRoute(apiRequest("/api/v1/resources?limit=501", { key }));
    expect(tooMany.status).toBe(400);
  });

  it("searches by part of a name anywhere, or completes a path prefix", async () => {
    const tag = uniqueTag();
    const { root, nodes } = await makeTree([`Platform-${tag}`, `Platform-${tag}/branch:feature-${tag}`, `plan-${tag}`, "other"]);
    const found = await searchNodes(db(), { q: `PLATFORM-${tag}` });
    expect(found.nodes.map((n) => n.path)).toEqual([`${root}/Platform-${tag}`]);
    expect((await searchNodes(db(), { q: `feature-${tag}` })).nodes.map((n) => [n.path, n.type])).toEqual([[`${root}/Platform-${tag}/feature-${tag}`, "branch"]]);
    // a path prefix: children of the resolved parent whose names start with the rest
    const prefixed = await listResourcesRoute(apiRequest(`/api/v1/resources?q=${encodeURIComponent(`${root}/pla`)}`, { key: await adminKey() }));
    // (sorted here: how upper and lower case order is the database's collation)
    expect((await json(prefixed)).nodes.map((n: { name: string }) => n.name).sort()).toEqual([`Platform-${tag}`, `plan-${tag}`]);
    expect((await searchNodes(db(), { q: `${root}/` })).nodes).toHaveLength(3);
    expect((await searchNodes(db(), { q: `${root}/Platform-${tag}/branch:feat` })).nodes.map((n) => n.id)).toEqual([nodes[`Platform-${tag}/feature-${tag}`]!.id]);
    await expect(searchNodes(db(), { q: `${root}/nope/x` })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("GET /api/v1/resources/{nodeId}/access", () => {
  it("lists direct and inherited grants with their node, window and status; never siblings' or revoked ones", async () => {
    const now = new Date();
    const { root, nodes } = await makeTree(["a", "a/b", "a/sibling"]);
    const agent = await makeAgent();
    const bot = { type: "agent", id: agent.id } as const;
    const onRoot = await makeGrant({ principal: bot, node: nodes[""]!.id, role: "Viewer", expiresAt: new Date(now.getTime() + DAY).toISOString() });
    const onB = await makeGrant({ principal: bot, node: nodes["a/b"]!.id, role: "Editor", notBefore: new Date(now.getTime() + DAY).toISOString() });
    const expiring = await makeGrant({ principal: bot, node: nodes.a!.id, role: "Viewer", expiresAt: new Date(now.getTime() + 1000).toISOString() });
    await makeGrant({ principal: bot, node: nodes["a/sibling"]!.id, role: "Deployer" });
    const revoked = await makeGrant({ principal: bot, node: nodes.a!.id, role: "Deployer" });
    await revokeGrant(db(), revoked.id, testActor);

    const res = await accessRoute(apiRequest(`/api/v1/resources/${nodes["a/b"]!.id}/access`, { key: await adminKey() }), params(nodes["a/b"]!.id));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.node).toEqual({ id: nodes["a/b"]!.id, path: `${root}/a/b` });
    expect(body.entries.map((e: { id: string }) => e.id)).toEqual([onB.id, expiring.id, onRoot.id]);
    expect(body.entries[0]).toMatchObject({ inherited: false, status: "scheduled", role: { name: "Editor" }, node: { path: `${root}/a/b` }, principal: { type: "agent", id: agent.id, label: agent.name } });
    expect(body.entries[2]).toMatchObject({ inherited: true, status: "active", node: { id: nodes[""]!.id, path: root }, expiresAt: onRoot.expiresAt });
    expect(body.entries[0].tools).toEqual(expect.any(Array));
    expect(body.total).toBe(3);

    // the first ?limit= of them, in the same order, and the total; a bad limit is a 400
    const first2 = await json(await accessRoute(apiRequest(`/api/v1/resources/${nodes["a/b"]!.id}/access?limit=2`, { key: await adminKey() }), params(nodes["a/b"]!.id)));
    expect([first2.entries.map((e: { id: string }) => e.id), first2.total]).toEqual([[onB.id, expiring.id], 3]);
    const bad = await accessRoute(apiRequest(`/api/v1/resources/${nodes["a/b"]!.id}/access?limit=0`, { key: await adminKey() }), params(nodes["a/b"]!.id));
    expect(bad.status).toBe(400);

    // later, the short grant shows as expired (listed, not applied)
    const later = await accessAt(db(), nodes["a/b"]!.id, {}, new Date(now.getTime() + 2000));
    expect(later.entries.find((e) => e.id === expiring.id)?.status).toBe("expired");
  });
});

describe("node types", () => {
  it("lists the built-ins with icons, and adds custom types (409 on a taken name)", async () => {
    const key = await adminKey();
    const res = await listTypesRoute(apiRequest("/api/v1/node-types", { key }));
    const { nodeTypes } = await json(res);
    expect(nodeTypes.slice(0, 8).map((t: { name: string; icon: string; builtIn: boolean }) => [t.name, t.icon, t.builtIn])).toEqual([
      ["branch", "git-branch", true],
      ["environment", "globe", true],
      ["folder", "folder", true],
      ["organization", "building", true],
      ["project", "briefcase", true],
      ["repository", "book", true],
      ["service", "server", true],
      ["workspace", "layers", true],
    ]);
    const name = `dataset-${uniqueTag()}`;
    const created = await createTypeRoute(apiRequest("/api/v1/node-types", { key, json: { name, icon: "database" } }));
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ name, icon: "database", builtIn: false });
    expect((await createNode(db(), { type: name, name: `d-${uniqueTag()}` }, testActor)).type).toBe(name);
    const dup = await createTypeRoute(apiRequest("/api/v1/node-types", { key, json: { name: "branch" } }));
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", "A node type named branch already exists"));
    const badIcon = await createTypeRoute(apiRequest("/api/v1/node-types", { key, json: { name: `x-${uniqueTag()}`, icon: "rocket" } }));
    expect(badIcon.status).toBe(400);
  });
});

describe("authorization version", () => {
  it("moves with every tree change, in the change's transaction, and not when the change fails", async () => {
    const { nodes } = await makeTree(["a"]);
    const v0 = await readAuthzVersion(db());
    const b = await createNode(db(), { type: "folder", name: "b", parent: nodes.a!.id }, testActor);
    const v1 = await readAuthzVersion(db());
    expect(v1).toBeGreaterThan(v0);
    await expect(moveNode(db(), nodes.a!.id, { parent: b.id }, testActor)).rejects.toMatchObject({ code: "conflict" });
    expect(await readAuthzVersion(db())).toBe(v1);
    await deleteNode(db(), b.id, {}, testActor);
    expect(await readAuthzVersion(db())).toBeGreaterThan(v1);
  });
});
