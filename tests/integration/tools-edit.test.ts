// Editing tools through the real /api/v1/tools route handlers: approval settings on create and update, parameter
// schemas the constraint checker can read, a new schema refused while a grant in force no longer fits it, and a risk
// change that decisions see at once. Error bodies are asserted exactly.
import { describe, expect, it } from "vitest";
import { GET as getToolRoute, PATCH as patchToolRoute } from "@/app/api/v1/tools/[toolId]/route";
import { POST as createToolRoute } from "@/app/api/v1/tools/route";
import { simulateDecision } from "@/lib/authz/simulate-decision";
import { getDb } from "@/lib/db/client";
import { readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { createRole } from "@/lib/roles/create-role";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();
const patch = (ref: string, body: unknown, key: string) =>
  patchToolRoute(apiRequest(`/api/v1/tools/${ref}`, { method: "PATCH", key, json: body }), routeParams({ toolId: ref }));
const invalid = (path: string, message: string) => apiError("validation_failed", `${path}: ${message}`, [{ path, message }]);

describe("approval settings", () => {
  it("default to any, 1 approver, 600 seconds, and are stored and audited when given", async () => {
    const key = await adminKey();
    const plain = await json(await createToolRoute(apiRequest("/api/v1/tools", { key, json: { name: `p${uniqueTag()}.read`, risk: "read" } })));
    expect(plain).toMatchObject({ approvalPolicy: "any", approvalQuorum: 1, approvalTtlSeconds: 600 });

    const name = `pay${uniqueTag()}.refund`;
    const body = { name, risk: "irreversible", approvalPolicy: "quorum", approvalQuorum: 2, approvalTtlSeconds: 3600 };
    const res = await createToolRoute(apiRequest("/api/v1/tools", { key, json: body }));
    expect(res.status).toBe(201);
    const tool = await json(res);
    expect(tool).toMatchObject({ approvalPolicy: "quorum", approvalQuorum: 2, approvalTtlSeconds: 3600 });
    const row = await db().tool.findUniqueOrThrow({ where: { id: tool.id } });
    expect([row.approvalPolicy, row.approvalQuorum, row.approvalTtlSeconds]).toEqual(["quorum", 2, 3600]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "tool.create", targetId: tool.id } });
    expect(JSON.parse(event.details)).toMatchObject({ approvalPolicy: "quorum", approvalQuorum: 2, approvalTtlSeconds: 3600 });
  });

  it.each([
    ["an unknown policy", { approvalPolicy: "everyone" }, "approvalPolicy", "must be one of any, not_subject, quorum"],
    ["a quorum of 0", { approvalPolicy: "quorum", approvalQuorum: 0 }, "approvalQuorum", "must be at least 1"],
    ["a fractional quorum", { approvalPolicy: "quorum", approvalQuorum: 1.5 }, "approvalQuorum", "must be a whole number"],
    ["a quorum without the quorum policy", { approvalQuorum: 2 }, "approvalQuorum", "above 1 needs approvalPolicy quorum"],
    ["a TTL under a minute", { approvalTtlSeconds: 59 }, "approvalTtlSeconds", "must be at least 60 (a minute)"],
    ["a TTL over a day", { approvalTtlSeconds: 86_401 }, "approvalTtlSeconds", "must be at most 86400 (a day)"],
    ["a TTL as text", { approvalTtlSeconds: "600" }, "approvalTtlSeconds", "must be a whole number of seconds"],
  ])("refuses %s with 400, on create and on update", async (_, settings, path, message) => {
    const key = await adminKey();
    const created = await createToolRoute(apiRequest("/api/v1/tools", { key, json: { name: `x${uniqueTag()}.y`, risk: "irreversible", ...settings } }));
    expect(created.status).toBe(400);
    expect(await json(created)).toEqual(invalid(path, message));
    const tool = await makeTool({ risk: "irreversible" });
    const updated = await patch(tool.id, settings, key);
    expect(updated.status).toBe(400);
    expect(await json(updated)).toEqual(invalid(path, message));
    expect(await db().auditEvent.count({ where: { action: "tool.update", targetId: tool.id } })).toBe(0);
  });

  it("change with one tool.update event; leaving quorum resets the quorum to 1", async () => {
    const key = await adminKey();
    const tool = await makeTool({ risk: "irreversible" });
    const v0 = await readAuthzVersion(db());
    const res = await patch(tool.name, { approvalPolicy: "quorum", approvalQuorum: 3, approvalTtlSeconds: 900 }, key);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ approvalPolicy: "quorum", approvalQuorum: 3, approvalTtlSeconds: 900 });
    expect(await readAuthzVersion(db())).toBeGreaterThan(v0);
    const back = await json(await patch(tool.id, { approvalPolicy: "not_subject" }, key));
    expect(back).toMatchObject({ approvalPolicy: "not_subject", approvalQuorum: 1, approvalTtlSeconds: 900 });
    const events = await db().auditEvent.findMany({ where: { action: "tool.update", targetId: tool.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      {
        name: tool.name,
        changes: { approvalPolicy: { from: "any", to: "quorum" }, approvalQuorum: { from: 1, to: 3 }, approvalTtlSeconds: { from: 600, to: 900 } },
      },
      { name: tool.name, changes: { approvalPolicy: { from: "quorum", to: "not_subject" }, approvalQuorum: { from: 3, to: 1 } } },
    ]);
    // the same values again: nothing changes, nothing is recorded
    expect((await patch(tool.id, { approvalPolicy: "not_subject", approvalTtlSeconds: 900 }, key)).status).toBe(200);
    expect(await db().auditEvent.count({ where: { action: "tool.update", targetId: tool.id } })).toBe(2);
  });
});

describe("PATCH /api/v1/tools/{toolId}: parameter schema", () => {
  it.each([
    ["a property type that is not a JSON type", { type: "object", properties: { branch: { type: "strng" } } }, "paramsSchema.properties.branch.type", "must be one of string, number, integer, boolean, object, array, null"],
    ["a required name not in properties", { type: "object", properties: { a: { type: "string" } }, required: ["b"] }, "paramsSchema.required", "names b, which properties does not list"],
    ["required that is not a list of names", { type: "object", required: "a" }, "paramsSchema.required", "must be a list of property names"],
    ["a schema that is not an object", "{\"type\": \"object\"}", "paramsSchema", "must be a JSON object"],
  ])("refuses %s with 400", async (_, paramsSchema, path, message) => {
    const tool = await makeTool();
    const res = await patch(tool.id, { paramsSchema }, await adminKey());
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(invalid(path, message));
  });

  it("accepts a list of types, and null clears the schema", async () => {
    const key = await adminKey();
    const tool = await makeTool();
    const schema = { type: "object", properties: { n: { type: ["number", "null"] } }, required: ["n"] };
    expect((await json(await patch(tool.id, { paramsSchema: schema }, key))).paramsSchema).toEqual(schema);
    expect((await json(await patch(tool.id, { paramsSchema: null }, key))).paramsSchema).toEqual({});
  });

  it("is refused (409) while a grant in force constrains a parameter the new schema drops or retypes", async () => {
    const key = await adminKey();
    const tool = await makeTool({ risk: "write", paramsSchema: { type: "object", properties: { branch: { type: "string" }, n: { type: "number" } } } });
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, tool: tool.name, node: nodes[""]!.id, constraints: { branch: { glob: "feature-*" } } });

    const dropped = await patch(tool.id, { paramsSchema: { type: "object", properties: { n: { type: "number" } } } }, key);
    expect(dropped.status).toBe(409);
    expect(await json(dropped)).toEqual(
      apiError("conflict", `The new parameter schema does not fit grant ${grant.id}: constraints.branch: is not a parameter of ${tool.name}; revoke it or keep the parameter`),
    );
    const retyped = await patch(tool.id, { paramsSchema: { type: "object", properties: { branch: { type: "number" } } } }, key);
    expect(retyped.status).toBe(409);
    expect((await json(retyped)).error.message).toBe(
      `The new parameter schema does not fit grant ${grant.id}: constraints.branch: glob needs a string parameter; branch is a number; revoke it or keep the parameter`,
    );
    expect(await db().auditEvent.count({ where: { action: "tool.update", targetId: tool.id } })).toBe(0);
    // a schema that keeps the parameter goes through
    expect((await patch(tool.id, { paramsSchema: { type: "object", properties: { branch: { type: "string" } } } }, key)).status).toBe(200);
    // once the grant is revoked, nothing holds the schema back
    await revokeGrant(db(), grant.id, testActor);
    expect((await patch(tool.id, { paramsSchema: { type: "object", properties: { n: { type: "number" } } } }, key)).status).toBe(200);
  });

  it("checks grants of custom roles that hold the tool against the role's whole tool set", async () => {
    const key = await adminKey();
    const a = await makeTool({ paramsSchema: { type: "object", properties: { page: { type: "string" } } } });
    const b = await makeTool({ paramsSchema: { type: "object", properties: { other: { type: "string" } } } });
    const role = await createRole(db(), { name: `Docs ${uniqueTag()}`, tools: [a.name, b.name] }, testActor);
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, role: role.name, node: nodes[""]!.id, constraints: { page: { equals: "home" } } });
    const res = await patch(a.id, { paramsSchema: { type: "object", properties: { title: { type: "string" } } } }, key);
    expect(res.status).toBe(409);
    expect((await json(res)).error.message).toBe(
      `The new parameter schema does not fit grant ${grant.id}: constraints.page: is not a parameter of ${a.name}, ${b.name}; revoke it or keep the parameter`,
    );
  });

  it("answers 404 for an unknown tool and 403 to non-admins", async () => {
    const key = await adminKey();
    const missing = await patch("nope.nope", { risk: "read" }, key);
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", "Tool not found"));
    const tool = await makeTool();
    const { session, headers } = await consoleSession("approver");
    const res = await patchToolRoute(apiRequest(`/api/v1/tools/${tool.id}`, { method: "PATCH", session, headers, json: { risk: "irreversible" } }), routeParams({ toolId: tool.id }));
    expect(res.status).toBe(403);
    expect((await json(await getToolRoute(apiRequest(`/api/v1/tools/${tool.id}`, { key }), routeParams({ toolId: tool.id })))).risk).toBe("read");
  });
});

describe("a risk change reaches decisions at once", () => {
  it("write -> irreversible makes the same call approval_required, and back to allow", async () => {
    const key = await adminKey();
    const tool = await makeTool({ risk: "write" });
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    await makeGrant({ principal: { type: "agent", id: agent.id }, tool: tool.name, node: nodes[""]!.id });
    const ask = () => simulateDecision(db(), { agentId: agent.id, tool: tool.name, resource: nodes[""]!.id });
    expect((await ask()).decision).toBe("allow");

    expect((await patch(tool.id, { risk: "irreversible" }, key)).status).toBe(200);
    const after = await ask();
    expect(after.decision).toBe("approval_required");
    expect(after.reasons.map((r) => r.code)).toContain("approval_required");

    expect((await patch(tool.id, { risk: "write" }, key)).status).toBe(200);
    expect((await ask()).decision).toBe("allow");
  });
});
