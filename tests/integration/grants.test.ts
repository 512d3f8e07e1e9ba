// Grants, through the use cases and the real /api/v1/grants route handlers: creation (principal, exactly one of role
// or tool, node by id or path, constraints checked against the tools' parameter schemas, time window, schedule),
// validation with exact error bodies, revocation (twice is a 409), listing with a status computed at a given moment
// (window edges to the millisecond), and the authorization version that every change moves. Time is passed in,
// never slept.
import { describe, expect, it } from "vitest";
import { DELETE as revokeRoute, GET as getGrantRoute } from "@/app/api/v1/grants/[grantId]/route";
import { GET as listGrantsRoute, POST as createGrantRoute } from "@/app/api/v1/grants/route";
import { getDb } from "@/lib/db/client";
import { changeAuthz, onLocalAuthzInvalidated, readAuthzVersion } from "@/lib/grants/authz-version";
import { createGrant } from "@/lib/grants/create-grant";
import { listGrants } from "@/lib/grants/list-grants";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { newId } from "@/lib/ids";
import { createRole } from "@/lib/roles/create-role";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, DAY, HOUR, makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();

const GRANT_VIEW_KEYS = [
  "constraints",
  "createdAt",
  "expiresAt",
  "grantedBy",
  "id",
  "node",
  "notBefore",
  "principal",
  "reason",
  "requiresApproval",
  "revokedAt",
  "revokedBy",
  "role",
  "schedule",
  "status",
  "tool",
];

const branchSchema = { type: "object", properties: { branch: { type: "string" }, amount: { type: "number" } } };

describe("POST /api/v1/grants", () => {
  it("grants an agent a role on a node path with constraints, a window and a schedule, recording the granting admin", async () => {
    const { root, nodes } = await makeTree(["project:platform"]);
    const agent = await makeAgent();
    const admin = await consoleSession("admin");
    const notBefore = new Date(Date.now() - HOUR).toISOString();
    const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
    const body = {
      principal: { type: "agent", id: agent.id },
      role: "editor",
      node: `${root}/platform`,
      constraints: { branch: { glob: "feature-*" }, amount: { max: 100 } },
      notBefore,
      expiresAt,
      schedule: { days: [4, 2], start: "14:00", end: "16:00", timeZone: "utc" },
      requiresApproval: true,
      reason: "Release train Q4",
    };
    const res = await createGrantRoute(apiRequest("/api/v1/grants", { session: admin.session, headers: admin.headers, json: body }));
    expect(res.status).toBe(201);
    const grant = await json(res);
    expect(Object.keys(grant).sort()).toEqual(GRANT_VIEW_KEYS);
    const editor = await db().role.findUniqueOrThrow({ where: { name: "Editor" } });
    expect(grant).toMatchObject({
      principal: { type: "agent", id: agent.id, label: agent.name },
      role: { id: editor.id, name: "Editor" },
      tool: null,
      node: { id: nodes.platform!.id, type: "project", name: "platform", path: `${root}/platform` },
      constraints: { branch: { glob: "feature-*" }, amount: { max: 100 } },
      notBefore,
      expiresAt,
      // days sorted, the time zone canonical (lib/authz/schedule.ts)
      schedule: { days: [2, 4], start: "14:00", end: "16:00", timeZone: "UTC" },
      requiresApproval: true,
      reason: "Release train Q4",
      grantedBy: { id: admin.user.id, label: admin.user.email },
      revokedAt: null,
      revokedBy: null,
      status: "active",
    });
    expect(grant.id).toMatch(/^grt_[0-9a-z]{26}$/);

    const row = await db().grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.constraints).toBe('{"amount":{"max":100},"branch":{"glob":"feature-*"}}');
    expect(row.schedule).toBe('{"days":[2,4],"end":"16:00","start":"14:00","timeZone":"UTC"}');
    expect(row.grantedById).toBe(admin.user.id);

    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "grant.create", targetId: grant.id } });
    expect([event.actorType, event.actorId]).toEqual(["user", admin.user.id]);
    expect(JSON.parse(event.details)).toEqual({
      principal: { type: "agent", id: agent.id, label: agent.name },
      role: { id: editor.id, name: "Editor" },
      tool: null,
      node: { id: nodes.platform!.id, path: `${root}/platform` },
      constraints: [
        { param: "amount", max: 100 },
        { param: "branch", glob: "feature-*" },
      ],
      notBefore,
      expiresAt,
      schedule: { days: [2, 4], start: "14:00", end: "16:00", timeZone: "UTC" },
      requiresApproval: true,
      reason: "Release train Q4",
    });

    const got = await getGrantRoute(apiRequest(`/api/v1/grants/${grant.id}`, { key: await adminKey() }), routeParams({ grantId: grant.id }));
    expect(await json(got)).toEqual(grant);
  });

  it("grants a user (by email) a single tool; constraints must name the tool's parameters", async () => {
    const { root } = await makeTree();
    const { user } = await makeUser({ role: "viewer" });
    const tool = await makeTool({ risk: "write", paramsSchema: branchSchema });
    const key = await adminKey();
    const ok = await createGrantRoute(
      apiRequest("/api/v1/grants", {
        key,
        json: { principal: { type: "user", email: user.email.toUpperCase() }, tool: tool.name, node: root, constraints: { branch: { oneOf: ["main", "dev"] } }, reason: "x" },
      }),
    );
    expect(ok.status).toBe(201);
    // an API key is no user: nobody is recorded as grantedBy (the audit event names the key)
    expect(await json(ok)).toMatchObject({ principal: { type: "user", id: user.id, label: user.email }, tool: { id: tool.id, name: tool.name }, role: null, grantedBy: null });

    const cases: [unknown, string, string][] = [
      [{ colour: { equals: "red" } }, "constraints.colour", `is not a parameter of ${tool.name}`],
      [{ branch: { max: 3 } }, "constraints.branch", "max needs a number parameter; branch is a string"],
      [{ amount: { glob: "1*" } }, "constraints.amount", "glob needs a string parameter; amount is a number"],
    ];
    for (const [constraints, path, message] of cases) {
      const res = await createGrantRoute(apiRequest("/api/v1/grants", { key, json: { principal: { type: "user", id: user.id }, tool: tool.id, node: root, constraints, reason: "x" } }));
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(apiError("validation_failed", `${path}: ${message}`, [{ path, message }]));
    }

    // a role: a parameter of any of its tools; when a tool's schema lists no properties, anything goes
    const other = await makeTool({ paramsSchema: { type: "object", properties: { env: { type: "string" } } } });
    const role = await createRole(db(), { name: `r ${uniqueTag()}`, tools: [tool.name, other.name] }, testActor);
    const agent = await makeAgent();
    await expect(makeGrant({ principal: { type: "agent", id: agent.id }, role: role.name, node: root, constraints: { env: { equals: "prod" } } })).resolves.toMatchObject({
      constraints: { env: { equals: "prod" } },
    });
    await expect(makeGrant({ principal: { type: "agent", id: agent.id }, role: role.name, node: root, constraints: { colour: { equals: "red" } } })).rejects.toMatchObject({
      message: `constraints.colour: is not a parameter of ${tool.name}, ${other.name}`,
    });
    const open = await makeTool();
    await expect(makeGrant({ principal: { type: "agent", id: agent.id }, tool: open.name, node: root, constraints: { anything: { max: 1 } } })).resolves.toBeDefined();
  });

  it.each([
    ["both a role and a tool", { tool: "x.y" }, "role", "give exactly one of role or tool"],
    ["neither a role nor a tool", { role: undefined }, "role", "give exactly one of role or tool"],
    ["an end before the start", { notBefore: "2030-01-02T00:00:00Z", expiresAt: "2030-01-01T00:00:00Z" }, "expiresAt", "must be after notBefore"],
    ["a date that is not ISO 8601", { expiresAt: "next tuesday" }, "expiresAt", "must be an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z"],
    [
      "a schedule that ends before it starts",
      { schedule: { days: [2], start: "16:00", end: "14:00", timeZone: "UTC" } },
      "schedule.end",
      "start must be before end (windows do not wrap midnight: split them into two grants)",
    ],
    ["a schedule in an unknown time zone", { schedule: { days: [2], start: "14:00", end: "16:00", timeZone: "Mars/Olympus" } }, "schedule.timeZone", 'unknown time zone "Mars/Olympus"'],
    ["a schedule on day 7", { schedule: { days: [7], start: "14:00", end: "16:00", timeZone: "UTC" } }, "schedule.days.0", "days are 0 (Sunday) to 6"],
    ["a schedule with a repeated day", { schedule: { days: [2, 2], start: "14:00", end: "16:00", timeZone: "UTC" } }, "schedule.days", "days must not repeat"],
    ["two operators on one parameter", { constraints: { branch: { equals: "a", glob: "b*" } } }, "constraints.branch", "exactly one of equals, oneOf, glob, max per parameter (got equals, glob)"],
    ["no reason", { reason: " " }, "reason", "is required"],
    ["a user named by id and email", { principal: { type: "user", id: "usr_x", email: "a@b.c" } }, "principal.id", "give id (or, for a user, email)"],
  ])("refuses %s with 400", async (_, patch, path, message) => {
    const body = { principal: { type: "agent", id: "agt_x" }, role: "Viewer", node: "anywhere", reason: "why", ...patch };
    const res = await createGrantRoute(apiRequest("/api/v1/grants", { key: await adminKey(), json: body }));
    expect(res.status).toBe(400);
    const got = await json(res);
    expect(got.error).toMatchObject({ code: "validation_failed", message: `${path}: ${message}` });
    expect(got.error.details[0]).toEqual({ path, message });
  });

  it("refuses an expired window, unknown principals, roles, tools and nodes", async () => {
    const { root } = await makeTree();
    const agent = await makeAgent();
    const key = await adminKey();
    const post = (body: Record<string, unknown>) =>
      createGrantRoute(apiRequest("/api/v1/grants", { key, json: { principal: { type: "agent", id: agent.id }, role: "Viewer", node: root, reason: "r", ...body } }));
    const expect400 = async (res: Response, path: string, message: string) => {
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual(apiError("validation_failed", `${path}: ${message}`, [{ path, message }]));
    };
    await expect400(await post({ expiresAt: new Date(Date.now() - 1000).toISOString() }), "expiresAt", "is in the past; a grant must end in the future");
    const ghost = newId("agent");
    await expect400(await post({ principal: { type: "agent", id: ghost } }), "principal", `no agent ${ghost}`);
    await expect400(await post({ principal: { type: "user", email: "nobody@test.deputy.local" } }), "principal", "no user nobody@test.deputy.local");
    await expect400(await post({ role: "Wizard" }), "role", "no role Wizard");
    await expect400(await post({ role: undefined, tool: "no.such" }), "tool", "no tool no.such");
    const missing = await post({ node: `${root}/platform/api` });
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual(apiError("not_found", `Resource node not found: no "platform" under ${root}`));

    await db().agent.update({ where: { id: agent.id }, data: { status: "killed" } });
    const killed = await post({});
    expect(killed.status).toBe(409);
    expect(await json(killed)).toEqual(apiError("conflict", `Agent ${agent.name} was killed; it cannot be granted anything`));
    expect(await db().grant.count({ where: { principalId: agent.id } })).toBe(0);
  });

  it("lets every console role read grants, and only admins grant or revoke", async () => {
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes[""]!.id });
    for (const role of ["approver", "auditor", "viewer"] as const) {
      const { session, headers } = await consoleSession(role);
      expect((await listGrantsRoute(apiRequest(`/api/v1/grants?node=${nodes[""]!.id}`, { session }))).status).toBe(200);
      const post = await createGrantRoute(
        apiRequest("/api/v1/grants", { session, headers, json: { principal: { type: "agent", id: agent.id }, role: "Viewer", node: nodes[""]!.id, reason: "r" } }),
      );
      expect(post.status).toBe(403);
      const del = await revokeRoute(apiRequest(`/api/v1/grants/${grant.id}`, { method: "DELETE", session, headers }), routeParams({ grantId: grant.id }));
      expect(del.status).toBe(403);
    }
    expect((await db().grant.findUniqueOrThrow({ where: { id: grant.id } })).revokedAt).toBeNull();
  });
});

describe("DELETE /api/v1/grants/{grantId}", () => {
  it("revokes once (200, audited, revokedBy the admin); twice is a 409; an unknown grant a 404", async () => {
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes[""]!.id, tool: (await makeTool()).name });
    const admin = await consoleSession("admin");
    const res = await revokeRoute(apiRequest(`/api/v1/grants/${grant.id}`, { method: "DELETE", session: admin.session, headers: admin.headers }), routeParams({ grantId: grant.id }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: grant.id, status: "revoked", revokedBy: { id: admin.user.id, label: admin.user.email } });
    expect(body.revokedAt).toEqual(expect.any(String));
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "grant.revoke", targetId: grant.id } });
    expect(JSON.parse(event.details)).toMatchObject({ principal: { id: agent.id }, tool: grant.tool, node: { id: nodes[""]!.id } });

    const twice = await revokeRoute(apiRequest(`/api/v1/grants/${grant.id}`, { method: "DELETE", key: await adminKey() }), routeParams({ grantId: grant.id }));
    expect(twice.status).toBe(409);
    expect(await json(twice)).toEqual(apiError("conflict", "This grant is already revoked"));
    expect(await db().auditEvent.count({ where: { action: "grant.revoke", targetId: grant.id } })).toBe(1);

    const ghost = newId("grant");
    const unknown = await revokeRoute(apiRequest(`/api/v1/grants/${ghost}`, { method: "DELETE", key: await adminKey() }), routeParams({ grantId: ghost }));
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toEqual(apiError("not_found", "Grant not found"));
  });
});

describe("GET /api/v1/grants", () => {
  it("computes each grant's status at the given moment: notBefore inclusive, expiresAt exclusive", async () => {
    const t = new Date(Date.now() + 1000);
    const { nodes } = await makeTree();
    const node = nodes[""]!.id;
    const agent = await makeAgent();
    const bot = { type: "agent", id: agent.id } as const;
    const plain = await makeGrant({ principal: bot, node }, t);
    const later = await makeGrant({ principal: bot, node, notBefore: new Date(t.getTime() + DAY).toISOString() }, t);
    const short = await makeGrant({ principal: bot, node, expiresAt: new Date(t.getTime() + HOUR).toISOString() }, t);
    const gone = await makeGrant({ principal: bot, node }, t);
    await revokeGrant(db(), gone.id, testActor, t);

    const statusAt = async (at: Date) => {
      const { grants } = await listGrants(db(), { node }, at);
      return Object.fromEntries(grants.map((g) => [g.id, g.status]));
    };
    const ids = async (status: "active" | "scheduled" | "expired" | "revoked", at: Date) =>
      (await listGrants(db(), { node, status }, at)).grants.map((g) => g.id).sort();

    expect(await statusAt(t)).toEqual({ [plain.id]: "active", [later.id]: "scheduled", [short.id]: "active", [gone.id]: "revoked" });
    expect(await ids("active", t)).toEqual([plain.id, short.id].sort());
    expect(await ids("scheduled", t)).toEqual([later.id]);
    expect(await ids("revoked", t)).toEqual([gone.id]);
    expect(await ids("expired", t)).toEqual([]);

    // the edges, to the millisecond
    const end = new Date(short.expiresAt!);
    expect((await statusAt(new Date(end.getTime() - 1)))[short.id]).toBe("active");
    expect((await statusAt(end))[short.id]).toBe("expired");
    expect(await ids("expired", end)).toEqual([short.id]);
    const start = new Date(later.notBefore!);
    expect((await statusAt(new Date(start.getTime() - 1)))[later.id]).toBe("scheduled");
    expect((await statusAt(start))[later.id]).toBe("active");
    expect(await ids("active", start)).toEqual([plain.id, later.id].sort());
  });

  it("filters by node (with inherited grants from ancestors, never siblings'), by principal, and pages", async () => {
    const { nodes } = await makeTree(["a", "a/b", "s"]);
    const agent = await makeAgent();
    const { user } = await makeUser({ role: "viewer" });
    const bot = { type: "agent", id: agent.id } as const;
    const onRoot = await makeGrant({ principal: bot, node: nodes[""]!.id });
    const onA = await makeGrant({ principal: { type: "user", id: user.id }, node: nodes.a!.id });
    const onB = await makeGrant({ principal: bot, node: nodes["a/b"]!.id });
    await makeGrant({ principal: bot, node: nodes.s!.id });
    const key = await adminKey();
    const list = async (qs: string) => {
      const res = await listGrantsRoute(apiRequest(`/api/v1/grants?${qs}`, { key }));
      expect(res.status).toBe(200);
      return (await json(res)) as { grants: { id: string }[]; nextCursor: string | null };
    };
    const ids = (p: { grants: { id: string }[] }) => p.grants.map((g) => g.id).sort();
    expect(ids(await list(`node=${nodes["a/b"]!.id}`))).toEqual([onB.id]);
    expect(ids(await list(`node=${nodes["a/b"]!.id}&includeInherited=true`))).toEqual([onRoot.id, onA.id, onB.id].sort());
    expect(ids(await list(`node=${nodes["a/b"]!.id}&includeInherited=true&principalId=${agent.id}`))).toEqual([onRoot.id, onB.id].sort());
    expect(ids(await list(`principalType=user&principalId=${encodeURIComponent(user.email)}`))).toEqual([onA.id]);

    // newest first, two at a time, every grant exactly once
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: { grants: { id: string }[]; nextCursor: string | null } = await list(`principalId=${agent.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.grants.map((g) => g.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(3);
    expect([...seen].sort()).toEqual([...seen].sort().filter((v, i, a) => a.indexOf(v) === i));
    expect(seen).toEqual([...seen].sort().reverse());

    const bad = await listGrantsRoute(apiRequest("/api/v1/grants?status=current", { key }));
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toBe("status: must be active, scheduled, expired, revoked or all");
  });
});

describe("authorization version", () => {
  it("moves in the transaction of every grant change, and this process forgets after commit, not before", async () => {
    const { nodes } = await makeTree();
    const agent = await makeAgent();
    let invalidations = 0;
    const stop = onLocalAuthzInvalidated(() => invalidations++);
    try {
      const v0 = await readAuthzVersion(db());
      const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes[""]!.id });
      const v1 = await readAuthzVersion(db());
      expect(v1).toBeGreaterThan(v0);
      expect(invalidations).toBeGreaterThan(0);
      await revokeGrant(db(), grant.id, testActor);
      expect(await readAuthzVersion(db())).toBeGreaterThan(v1);

      // a change that fails leaves the version where it was, and nothing is invalidated
      const v2 = await readAuthzVersion(db());
      const before = invalidations;
      await expect(
        createGrant(db(), { principal: { type: "agent", id: agent.id }, role: "Viewer", node: `${nodes[""]!.name}/missing`, reason: "r" }, testActor),
      ).rejects.toMatchObject({ code: "not_found" });
      await expect(
        changeAuthz(db(), async () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await readAuthzVersion(db())).toBe(v2);
      expect(invalidations).toBe(before);
    } finally {
      stop();
    }
  });
});
