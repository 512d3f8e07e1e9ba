// The tool catalog and roles, through the use cases and the real /api/v1/tools and /api/v1/roles route handlers:
// built-in roles follow tool risks (on create and on a risk change), names and schemas are validated, deletes are
// refused while granted, built-in roles cannot be renamed, re-tooled or deleted. Error bodies are asserted exactly.
// The database is shared: built-in roles hold tools of other tests too, so their contents are checked by inclusion.
import { describe, expect, it } from "vitest";
import { DELETE as deleteRoleRoute, GET as getRoleRoute, PATCH as patchRoleRoute } from "@/app/api/v1/roles/[roleId]/route";
import { GET as listRolesRoute, POST as createRoleRoute } from "@/app/api/v1/roles/route";
import { DELETE as deleteToolRoute, GET as getToolRoute, PATCH as patchToolRoute } from "@/app/api/v1/tools/[toolId]/route";
import { GET as listToolsRoute, POST as createToolRoute } from "@/app/api/v1/tools/route";
import { getDb } from "@/lib/db/client";
import { readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { listRoles } from "@/lib/roles/list-roles";
import type { RoleView } from "@/lib/roles/role-view";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();

async function rolesByName(): Promise<Record<string, RoleView>> {
  return Object.fromEntries((await listRoles(db())).map((r) => [r.name, r]));
}

const holds = (role: RoleView | undefined, tool: string) => role!.tools.some((t) => t.name === tool);

describe("built-in roles", () => {
  it("exist once (ensured idempotently), listed first, with descriptions", async () => {
    await ensureAuthzBuiltIns(db());
    await ensureAuthzBuiltIns(db());
    const res = await listRolesRoute(apiRequest("/api/v1/roles", { key: await adminKey() }));
    expect(res.status).toBe(200);
    const { roles } = await json(res);
    expect(roles.slice(0, 4).map((r: RoleView) => [r.name, r.builtIn])).toEqual([
      ["Viewer", true],
      ["Editor", true],
      ["Deployer", true],
      ["Approver", true],
    ]);
    for (const r of roles.slice(0, 4)) expect(r.description).not.toBe("");
    expect(await db().role.count({ where: { builtIn: true } })).toBe(4);
  });

  it("follow tool risks: Viewer read, Editor read and write, Deployer all, Approver none", async () => {
    const read = await makeTool({ risk: "read" });
    const write = await makeTool({ risk: "write" });
    const irreversible = await makeTool({ risk: "irreversible" });
    expect(read.roles).toEqual(["Deployer", "Editor", "Viewer"]);
    expect(write.roles).toEqual(["Deployer", "Editor"]);
    expect(irreversible.roles).toEqual(["Deployer"]);
    const roles = await rolesByName();
    expect([read, write, irreversible].map((t) => ["Viewer", "Editor", "Deployer", "Approver"].filter((r) => holds(roles[r], t.name)))).toEqual([
      ["Viewer", "Editor", "Deployer"],
      ["Editor", "Deployer"],
      ["Deployer"],
    ]);
    expect(roles.Approver!.tools).toEqual([]);

    // a new risk moves the tool between them, in the same change
    const key = await adminKey();
    const res = await patchToolRoute(
      apiRequest(`/api/v1/tools/${read.name}`, { method: "PATCH", key, json: { risk: "irreversible" } }),
      routeParams({ toolId: read.name }),
    );
    expect(res.status).toBe(200);
    expect((await json(res)).roles).toEqual(["Deployer"]);
    const after = await rolesByName();
    expect(["Viewer", "Editor", "Deployer"].filter((r) => holds(after[r], read.name))).toEqual(["Deployer"]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "tool.update", targetId: read.id } });
    expect(JSON.parse(event.details)).toEqual({ name: read.name, changes: { risk: { from: "read", to: "irreversible" } }, builtInRoles: ["Deployer"] });
  });

  it("cannot be renamed, re-tooled or deleted; their description can change", async () => {
    const key = await adminKey();
    const tool = await makeTool({ risk: "write" }); // a tool Viewer does not hold
    const viewer = (await rolesByName()).Viewer!;
    const rename = await patchRoleRoute(apiRequest("/api/v1/roles/Viewer", { method: "PATCH", key, json: { name: "Lookers" } }), routeParams({ roleId: "Viewer" }));
    expect(rename.status).toBe(409);
    expect(await json(rename)).toEqual(apiError("conflict", "Viewer is a built-in role: it cannot be renamed"));
    const retool = await patchRoleRoute(apiRequest(`/api/v1/roles/${viewer.id}`, { method: "PATCH", key, json: { tools: [tool.name] } }), routeParams({ roleId: viewer.id }));
    expect(retool.status).toBe(409);
    expect(await json(retool)).toEqual(apiError("conflict", "Viewer is a built-in role: its tools follow tool risks and cannot be edited"));
    const del = await deleteRoleRoute(apiRequest("/api/v1/roles/editor", { method: "DELETE", key }), routeParams({ roleId: "editor" }));
    expect(del.status).toBe(409);
    expect(await json(del)).toEqual(apiError("conflict", "Editor is a built-in role and cannot be deleted"));
    const description = `Reads things ${uniqueTag()}`;
    const ok = await patchRoleRoute(apiRequest("/api/v1/roles/viewer", { method: "PATCH", key, json: { description } }), routeParams({ roleId: "viewer" }));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ id: viewer.id, name: "Viewer", description, builtIn: true });
  });
});

describe("POST /api/v1/tools", () => {
  it("adds a tool (201) with its schema stored as canonical JSON, and audits tool.create", async () => {
    const key = await adminKey();
    const name = `github${uniqueTag()}.push`;
    const paramsSchema = { type: "object", required: ["branch"], properties: { branch: { type: "string" }, apiKey: { type: "string" } } };
    const res = await createToolRoute(apiRequest("/api/v1/tools", { key, json: { name, risk: "write", description: "Push commits", paramsSchema } }));
    expect(res.status).toBe(201);
    const tool = await json(res);
    expect(tool).toMatchObject({ name, risk: "write", description: "Push commits", paramsSchema, roles: ["Deployer", "Editor"] });
    expect(tool.id).toMatch(/^tol_[0-9a-z]{26}$/);
    const row = await db().tool.findUniqueOrThrow({ where: { id: tool.id } });
    expect(row.paramsSchema).toBe('{"properties":{"apiKey":{"type":"string"},"branch":{"type":"string"}},"required":["branch"],"type":"object"}');
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "tool.create", targetId: tool.id } });
    expect(JSON.parse(event.details)).toEqual({
      name,
      description: "Push commits",
      risk: "write",
      paramsSchema: row.paramsSchema,
      approvalPolicy: "any",
      approvalQuorum: 1,
      approvalTtlSeconds: 600,
      builtInRoles: ["Deployer", "Editor"],
    });

    const dup = await createToolRoute(apiRequest("/api/v1/tools", { key, json: { name, risk: "read" } }));
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", `A tool named ${name} already exists`));

    // by id or by name
    for (const ref of [tool.id, name]) {
      const got = await getToolRoute(apiRequest(`/api/v1/tools/${ref}`, { key }), routeParams({ toolId: ref }));
      expect(await json(got)).toMatchObject({ id: tool.id, grantCount: 0 });
    }
    const missing = await getToolRoute(apiRequest("/api/v1/tools/nope.nope", { key }), routeParams({ toolId: "nope.nope" }));
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", "Tool not found"));
  });

  it.each([
    ["a name that is not a scope", { name: "GitHub Push", risk: "read" }, "name", "must be a tool name like github.push (lower-case words separated by dots)"],
    ["an unknown risk", { name: "x.y", risk: "dangerous" }, "risk", "must be one of read, write, irreversible"],
    ["a schema that is not an object schema", { name: "x.y", risk: "read", paramsSchema: { type: "array" } }, "paramsSchema", 'must be a JSON schema with type "object" at the top'],
    ["a schema that is not an object", { name: "x.y", risk: "read", paramsSchema: [1] }, "paramsSchema", "must be a JSON object"],
    [
      "properties that are not schemas",
      { name: "x.y", risk: "read", paramsSchema: { type: "object", properties: { a: 1 } } },
      "paramsSchema.properties",
      "must be an object of JSON schemas",
    ],
  ])("refuses %s with 400", async (_, body, path, message) => {
    const res = await createToolRoute(apiRequest("/api/v1/tools", { key: await adminKey(), json: body }));
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("validation_failed", `${path}: ${message}`, [{ path, message }]));
  });

  it("lists the catalog by name, filtered, to every console role; only admins write", async () => {
    const tag = uniqueTag();
    const a = await makeTool({ name: `a${tag}.read`, risk: "read" });
    const b = await makeTool({ name: `a${tag}.write`, risk: "write" });
    const { session, headers } = await consoleSession("viewer");
    const res = await listToolsRoute(apiRequest(`/api/v1/tools?q=${tag}`, { session }));
    expect(res.status).toBe(200);
    expect((await json(res)).tools.map((t: { id: string }) => t.id)).toEqual([a.id, b.id]);
    const writes = await listToolsRoute(apiRequest(`/api/v1/tools?q=${tag}&risk=write`, { session }));
    expect((await json(writes)).tools.map((t: { id: string }) => t.id)).toEqual([b.id]);
    const post = await createToolRoute(apiRequest("/api/v1/tools", { session, headers, json: { name: `n${tag}.x`, risk: "read" } }));
    expect(post.status).toBe(403);
    expect((await listRolesRoute(apiRequest("/api/v1/roles", { session }))).status).toBe(200);
    expect((await createRoleRoute(apiRequest("/api/v1/roles", { session, headers, json: { name: `r${tag}` } }))).status).toBe(403);
  });
});

describe("DELETE /api/v1/tools/{toolId}", () => {
  it("is refused while the tool is granted; after the revocation it goes, with its revoked grants", async () => {
    const key = await adminKey();
    const tool = await makeTool({ risk: "write" });
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, tool: tool.name, node: nodes[""]!.id });
    const refused = await deleteToolRoute(apiRequest(`/api/v1/tools/${tool.id}`, { method: "DELETE", key }), routeParams({ toolId: tool.id }));
    expect(refused.status).toBe(409);
    expect(await json(refused)).toEqual(apiError("conflict", `Tool ${tool.name} is granted (1 grant); revoke its grants first`));

    await revokeGrant(db(), grant.id, testActor);
    const v0 = await readAuthzVersion(db());
    const ok = await deleteToolRoute(apiRequest(`/api/v1/tools/${tool.name}`, { method: "DELETE", key }), routeParams({ toolId: tool.name }));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ id: tool.id, name: tool.name, roles: ["Deployer", "Editor"] });
    expect(await readAuthzVersion(db())).toBeGreaterThan(v0);
    expect(await db().tool.count({ where: { id: tool.id } })).toBe(0);
    expect(await db().roleTool.count({ where: { toolId: tool.id } })).toBe(0);
    expect(await db().grant.count({ where: { id: grant.id } })).toBe(0);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "tool.delete", targetId: tool.id } });
    expect(JSON.parse(event.details)).toEqual({ name: tool.name, risk: "write", roles: ["Deployer", "Editor"], revokedGrantIds: [grant.id] });
  });
});

describe("custom roles", () => {
  it("are created with tools by name or id, unique in any case, and audited", async () => {
    const key = await adminKey();
    const t1 = await makeTool({ risk: "read" });
    const t2 = await makeTool({ risk: "irreversible" });
    const name = `Release manager ${uniqueTag()}`;
    const res = await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name, description: "Ships releases", tools: [t1.name, t2.id, t1.name] } }));
    expect(res.status).toBe(201);
    const role = await json(res);
    expect(role).toMatchObject({ name, description: "Ships releases", builtIn: false, grantCount: 0 });
    expect(role.id).toMatch(/^rol_[0-9a-z]{26}$/);
    expect(role.tools.map((t: { name: string }) => t.name)).toEqual([t1.name, t2.name].sort());
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "role.create", targetId: role.id } });
    expect(JSON.parse(event.details)).toEqual({ name, description: "Ships releases", tools: [t1.name, t2.name].sort() });

    const dup = await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name: name.toUpperCase() } }));
    expect(dup.status).toBe(409);
    expect(await json(dup)).toEqual(apiError("conflict", `A role named ${name} already exists`));
    const builtInName = await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name: "editor" } }));
    expect(builtInName.status).toBe(409);
    expect(await json(builtInName)).toEqual(apiError("conflict", "A role named Editor already exists"));
    const unknown = await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name: `r ${uniqueTag()}`, tools: ["no.such", t1.name, "nor.this"] } }));
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toEqual(apiError("validation_failed", "tools: no tool no.such, nor.this", [{ path: "tools", message: "no tool no.such, nor.this" }]));

    // by name, in any case
    const got = await getRoleRoute(apiRequest(`/api/v1/roles/${encodeURIComponent(name.toLowerCase())}`, { key }), routeParams({ roleId: name.toLowerCase() }));
    expect((await json(got)).id).toBe(role.id);
  });

  it("are updated (name, description, the whole set of tools) with one role.update event", async () => {
    const key = await adminKey();
    const [t1, t2, t3] = [await makeTool(), await makeTool({ risk: "write" }), await makeTool()];
    const role = await json(await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name: `ops ${uniqueTag()}`, tools: [t1.name, t2.name] } })));
    const v0 = await readAuthzVersion(db());
    const newName = `ops2 ${uniqueTag()}`;
    const res = await patchRoleRoute(
      apiRequest(`/api/v1/roles/${role.id}`, { method: "PATCH", key, json: { name: newName, tools: [t2.id, t3.name] } }),
      routeParams({ roleId: role.id }),
    );
    expect(res.status).toBe(200);
    const updated = await json(res);
    expect(updated.name).toBe(newName);
    expect(updated.tools.map((t: { name: string }) => t.name)).toEqual([t2.name, t3.name].sort());
    expect(await readAuthzVersion(db())).toBeGreaterThan(v0);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "role.update", targetId: role.id } });
    expect(JSON.parse(event.details)).toEqual({
      name: newName,
      changes: { name: { from: role.name, to: newName }, tools: { from: [t1.name, t2.name].sort(), to: [t2.name, t3.name].sort() } },
    });
    // nothing changed: nothing recorded
    await patchRoleRoute(apiRequest(`/api/v1/roles/${role.id}`, { method: "PATCH", key, json: { tools: [t3.id, t2.name] } }), routeParams({ roleId: role.id }));
    expect(await db().auditEvent.count({ where: { action: "role.update", targetId: role.id } })).toBe(1);
    const strict = await patchRoleRoute(apiRequest(`/api/v1/roles/${role.id}`, { method: "PATCH", key, json: { builtIn: true } }), routeParams({ roleId: role.id }));
    expect(strict.status).toBe(400);
  });

  it("are deleted only when no unrevoked grant uses them", async () => {
    const key = await adminKey();
    const role = await json(await createRoleRoute(apiRequest("/api/v1/roles", { key, json: { name: `temp ${uniqueTag()}` } })));
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, role: role.name, node: nodes[""]!.id });
    const refused = await deleteRoleRoute(apiRequest(`/api/v1/roles/${role.id}`, { method: "DELETE", key }), routeParams({ roleId: role.id }));
    expect(refused.status).toBe(409);
    expect(await json(refused)).toEqual(apiError("conflict", `Role ${role.name} is granted (1 grant); revoke its grants first`));
    await revokeGrant(db(), grant.id, testActor);
    const ok = await deleteRoleRoute(apiRequest(`/api/v1/roles/${role.id}`, { method: "DELETE", key }), routeParams({ roleId: role.id }));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ id: role.id, name: role.name });
    const gone = await getRoleRoute(apiRequest(`/api/v1/roles/${role.id}`, { key }), routeParams({ roleId: role.id }));
    expect(gone.status).toBe(404);
    expect(await json(gone)).toEqual(apiError("not_found", "Role not found"));
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "role.delete", targetId: role.id } });
    expect(JSON.parse(event.details)).toEqual({ name: role.name, tools: [], revokedGrantIds: [grant.id] });
  });
});
