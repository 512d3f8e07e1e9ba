// Node types through the real /api/v1/node-types/{name} route handlers: change an icon, delete a custom type no node
// uses; built-in and used types are refused with 409. Error bodies are asserted exactly.
import { describe, expect, it } from "vitest";
import { DELETE as deleteTypeRoute, PATCH as patchTypeRoute } from "@/app/api/v1/node-types/[name]/route";
import { GET as listTypesRoute } from "@/app/api/v1/node-types/route";
import { getDb } from "@/lib/db/client";
import { createNode } from "@/lib/resources/create-node";
import { createNodeType } from "@/lib/resources/create-node-type";
import { deleteNode } from "@/lib/resources/delete-node";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession } from "./authz-helpers";

const db = () => getDb();
const params = (name: string) => routeParams({ name });

async function customType(icon: "database" | "cloud" = "database") {
  return createNodeType(db(), { name: `ds-${uniqueTag()}`, icon }, testActor);
}

const patch = (name: string, body: unknown, key: string) =>
  patchTypeRoute(apiRequest(`/api/v1/node-types/${name}`, { method: "PATCH", key, json: body }), params(name));
const remove = (name: string, key: string) => deleteTypeRoute(apiRequest(`/api/v1/node-types/${name}`, { method: "DELETE", key }), params(name));

describe("PATCH /api/v1/node-types/{name}", () => {
  it("changes the icon, audits node_type.update, and records nothing when it is the same", async () => {
    const key = await adminKey();
    const type = await customType();
    const res = await patch(type.name, { icon: "cloud" }, key);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ name: type.name, icon: "cloud", builtIn: false, createdAt: type.createdAt });
    const list = (await json(await listTypesRoute(apiRequest("/api/v1/node-types", { key })))).nodeTypes;
    expect(list.find((t: { name: string }) => t.name === type.name).icon).toBe("cloud");
    const events = await db().auditEvent.findMany({ where: { action: "node_type.update", targetId: type.name } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ name: type.name, changes: { icon: { from: "database", to: "cloud" } } }]);

    expect((await patch(type.name, { icon: "cloud" }, key)).status).toBe(200);
    expect(await db().auditEvent.count({ where: { action: "node_type.update", targetId: type.name } })).toBe(1);
  });

  it("refuses an unknown icon, another field (400), a missing type (404) and non-admins (403)", async () => {
    const key = await adminKey();
    const type = await customType();
    const badIcon = await patch(type.name, { icon: "rocket" }, key);
    expect(badIcon.status).toBe(400);
    const iconMessage = "must be one of building, layers, briefcase, folder, book, git-branch, globe, server, box, database, cloud, lock, file, user";
    expect(await json(badIcon)).toEqual(apiError("validation_failed", `icon: ${iconMessage}`, [{ path: "icon", message: iconMessage }]));
    const rename = await patch(type.name, { icon: "cloud", name: "other" }, key);
    expect(rename.status).toBe(400);
    expect((await json(rename)).error.code).toBe("validation_failed");
    const missing = await patch(`nope-${uniqueTag()}`, { icon: "cloud" }, key);
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", "Node type not found"));
    const { session, headers } = await consoleSession("viewer");
    const forbidden = await patchTypeRoute(apiRequest(`/api/v1/node-types/${type.name}`, { method: "PATCH", session, headers, json: { icon: "cloud" } }), params(type.name));
    expect(forbidden.status).toBe(403);
    expect((await db().nodeType.findUniqueOrThrow({ where: { name: type.name } })).icon).toBe("database");
  });
});

describe("DELETE /api/v1/node-types/{name}", () => {
  it("deletes a custom type no node uses, audits node_type.delete, and nodes can no longer take it", async () => {
    const key = await adminKey();
    const type = await customType();
    const res = await remove(type.name, key);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ name: type.name });
    expect(await db().nodeType.count({ where: { name: type.name } })).toBe(0);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "node_type.delete", targetId: type.name } });
    expect(JSON.parse(event.details)).toEqual({ name: type.name, icon: "database" });
    await expect(createNode(db(), { type: type.name, name: `n-${uniqueTag()}` }, testActor)).rejects.toMatchObject({ code: "validation_failed" });
    const again = await remove(type.name, key);
    expect(again.status).toBe(404);
    expect(await json(again)).toEqual(apiError("not_found", "Node type not found"));
  });

  it("refuses a type nodes use (409 with the count) until they are gone, and built-in types", async () => {
    const key = await adminKey();
    const type = await customType();
    const a = await createNode(db(), { type: type.name, name: `a-${uniqueTag()}` }, testActor);
    const b = await createNode(db(), { type: type.name, name: "b", parent: a.id }, testActor);
    const used = await remove(type.name, key);
    expect(used.status).toBe(409);
    expect(await json(used)).toEqual(apiError("conflict", `Node type ${type.name} is used by 2 nodes; delete those nodes first`));
    await deleteNode(db(), b.id, {}, testActor);
    expect(await json(await remove(type.name, key))).toEqual(apiError("conflict", `Node type ${type.name} is used by 1 node; delete those nodes first`));
    expect(await db().auditEvent.count({ where: { action: "node_type.delete", targetId: type.name } })).toBe(0);
    await deleteNode(db(), a.id, {}, testActor);
    expect((await remove(type.name, key)).status).toBe(200);

    const builtIn = await remove("folder", key);
    expect(builtIn.status).toBe(409);
    expect(await json(builtIn)).toEqual(apiError("conflict", "folder is a built-in node type: it cannot be deleted"));
    expect(await db().nodeType.count({ where: { name: "folder" } })).toBe(1);
  });

  it("is for admins only", async () => {
    const type = await customType();
    const { session, headers } = await consoleSession("auditor");
    const res = await deleteTypeRoute(apiRequest(`/api/v1/node-types/${type.name}`, { method: "DELETE", session, headers }), params(type.name));
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
    expect(await db().nodeType.count({ where: { name: type.name } })).toBe(1);
  });
});
