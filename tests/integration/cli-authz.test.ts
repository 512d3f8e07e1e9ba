// The authorization commands of the `deputy` CLI as an operator runs them (node bin/deputy.mjs, a real process) against
// the test database, and the first-run seed's demo world against a fresh database of its own. Each spawn costs about
// two seconds, so each test makes few.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { authenticateResourceServer } from "@/lib/resource-servers/authenticate-resource-server";
import { testActor, uniqueTag } from "../helpers/factories";
import { getRole } from "@/lib/roles/get-role";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";
import { deputy } from "../helpers/cli";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("deputy node / grant / resource-server", () => {
  it("builds a tree, grants on a path, refuses a cycle, and registers a resource server", async () => {
    const root = `cli-${uniqueTag()}`;
    const created = await deputy(["node", "create", "--type", "organization", "--name", root, "--json"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const org = JSON.parse(created.stdout);
    expect(org).toMatchObject({ name: root, path: root, depth: 0 });
    const child = await deputy(["node", "create", "--type", "project", "--name", "platform", "--parent", root]);
    expect(child.code).toBe(0);
    expect(child.stdout).toMatch(new RegExp(`^created res_[0-9a-z]{26} \\(project ${root}/platform\\)\\n$`));

    const cycle = await deputy(["node", "move", root, "--parent", `${root}/platform`]);
    expect(cycle.code).toBe(1);
    expect(cycle.stdout).toBe("");
    expect(cycle.stderr).toBe(`deputy: Moving ${root} under ${root}/platform would create a cycle\n`);

    const agent = await makeAgent();
    const grant = await deputy(["grant", "create", "--agent", agent.id, "--role", "Editor", "--node", `${root}/platform`, "--reason", "cli test", "--json"]);
    expect(grant.stderr).toBe("");
    expect(grant.code).toBe(0);
    const g = JSON.parse(grant.stdout);
    expect(g).toMatchObject({ principal: { id: agent.id }, role: { name: "Editor" }, node: { path: `${root}/platform` }, status: "active", reason: "cli test" });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "grant.create", targetId: g.id } });
    expect([event.actorType, event.actorId]).toEqual(["system", "cli"]);

    const rs = await deputy(["resource-server", "create", "--name", "gh", "--audience", `https://${root}.acme.test/mcp`, "--json"]);
    expect(rs.stderr).toBe("");
    const { id, secret } = JSON.parse(rs.stdout);
    expect((await authenticateResourceServer(getDb(), `Bearer ${secret}`)).id).toBe(id);
  });
});

describe("deputy role", () => {
  it("creates a custom role, changes its tools, and refuses what would break a grant or a built-in", async () => {
    const [push, read, deploy] = await Promise.all([makeTool({ risk: "write" }), makeTool(), makeTool({ risk: "write" })]);
    const name = `Releaser ${uniqueTag()}`;
    const made = await deputy(["role", "create", "--name", name, "--description", "ships builds", "--tools", `${push.name} ${read.name}`, "--json"]);
    expect(made.stderr).toBe("");
    const role = JSON.parse(made.stdout);
    expect(role).toMatchObject({ name, description: "ships builds", builtIn: false, grantCount: 0 });
    expect(role.tools.map((t: { name: string }) => t.name).sort()).toEqual([push.name, read.name].sort());

    // an unknown tool names itself, and nothing is stored
    const bad = await deputy(["role", "create", "--name", `${name} 2`, "--tools", `${read.name},no.such.tool`]);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([1, "", "deputy: tools: no tool no.such.tool\n"]);
    await expect(getRole(getDb(), `${name} 2`)).rejects.toThrow(/not found/i);

    const { nodes } = await makeTree();
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, role: role.id, node: nodes[""]!.id });

    // the whole new set, commas or spaces; the grant covers it from now on
    const updated = await deputy(["role", "update", name, "--tools", `${read.name}, ${deploy.name}`]);
    expect(updated.stderr).toBe("");
    expect(updated.stdout).toBe(`updated role ${name} (tools: ${[read.name, deploy.name].sort().join(", ")}; 1 active grants now cover them)\n`);
    expect((await getRole(getDb(), role.id)).tools.map((t) => t.name).sort()).toEqual([read.name, deploy.name].sort());
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "role.update", targetId: role.id } });
    expect([event.actorType, event.actorId]).toEqual(["system", "cli"]);

    const shown = await deputy(["role", "show", role.id]);
    expect(shown.stdout).toBe(`${name} (${role.id}, custom; 1 active grants)\nships builds\ntools: ${[read.name, deploy.name].sort().join(", ")}\n`);

    const granted = await deputy(["role", "delete", name]);
    expect([granted.code, granted.stderr]).toEqual([1, `deputy: Role ${name} is granted (1 grant); revoke its grants first\n`]);
    const builtIn = await deputy(["role", "update", "Editor", "--tools", read.name]);
    expect([builtIn.code, builtIn.stderr]).toEqual([1, "deputy: Editor is a built-in role: its tools follow tool risks and cannot be edited\n"]);
    expect((await getRole(getDb(), role.id)).tools).toHaveLength(2);

    await revokeGrant(getDb(), grant.id, testActor);
    const deleted = await deputy(["role", "delete", name]);
    expect([deleted.code, deleted.stdout]).toEqual([0, `deleted role ${name} (${role.id})\n`]);
    await expect(getRole(getDb(), role.id)).rejects.toThrow(/not found/i);
  });
});

describe("deputy node-type", () => {
  it("adds a type that nodes then use, changes its icon, and refuses a bad icon or deleting a used type", async () => {
    const type = `svc${uniqueTag()}`.toLowerCase().slice(0, 30);
    const bad = await deputy(["node-type", "create", "--name", type, "--icon", "rocket"]);
    expect([bad.code, bad.stdout]).toEqual([1, ""]);
    expect(bad.stderr).toMatch(/^deputy: icon: must be one of building, .*server/);
    const made = await deputy(["node-type", "create", "--name", type, "--icon", "server"]);
    expect([made.code, made.stdout, made.stderr]).toEqual([0, `created node type ${type} (icon server)\n`, ""]);

    const { root } = await makeTree();
    const node = await deputy(["node", "create", "--type", type, "--name", "billing", "--parent", root]);
    expect(node.code).toBe(0);
    const used = await deputy(["node-type", "delete", type]);
    expect([used.code, used.stderr]).toEqual([1, `deputy: Node type ${type} is used by 1 node; delete those nodes first\n`]);
    const icon = await deputy(["node-type", "update", type, "--icon", "cloud", "--json"]);
    expect(JSON.parse(icon.stdout)).toMatchObject({ name: type, icon: "cloud", builtIn: false });
  });

  it("says a database is not migrated instead of showing the query that failed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-empty-"));
    try {
      const r = await deputy(["node-type", "list"], { DATABASE_URL: `file:${path.join(dir, "empty.db")}`, DEPUTY_DATA_DIR: dir });
      expect([r.code, r.stdout]).toEqual([1, ""]);
      expect(r.stderr).toBe("deputy: the database lacks tables or columns this version uses: its migrations are not all applied. Run `deputy db migrate` (`deputy db status` lists them).\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("deputy seed", () => {
  it("seeds the built-ins and the demo world into an empty database", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-seed-"));
    const env = { DATABASE_URL: `file:${path.join(dir, "seed.db")}`, DEPUTY_DATA_DIR: dir };
    try {
      execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: "pipe" });
      const seeded = await deputy(["seed", "--json"], env);
      expect(seeded.stderr).toBe("");
      const result = JSON.parse(seeded.stdout);
      expect(result.seeded).toBe(true);
      expect(result.demoAgent).toMatchObject({ name: "release-bot" });
      expect(result.demoAgent.clientSecret).toMatch(/^dps_/);

      const grants = JSON.parse((await deputy(["grant", "list", "--json"], env)).stdout) as {
        principal: { label: string };
        role: { name: string } | null;
        tool: { name: string } | null;
        node: { path: string };
        constraints: unknown;
        schedule: unknown;
        expiresAt: string | null;
      }[];
      const bot = grants.filter((g) => g.principal.label === "release-bot");
      expect(bot.find((g) => g.role?.name === "Editor")).toMatchObject({ node: { path: "acme/platform" }, constraints: { branch: { glob: "feature-*" } } });
      expect(bot.find((g) => g.tool?.name === "deploy.release")).toMatchObject({
        node: { path: "acme/production" },
        schedule: { days: [2], start: "14:00", end: "16:00", timeZone: "UTC" },
        expiresAt: expect.any(String),
      });
      const nodes = JSON.parse((await deputy(["node", "list", "--parent", "acme/platform/api", "--json"], env)).stdout);
      expect(nodes.nodes.map((n: { path: string; type: string }) => [n.path, n.type])).toEqual([
        ["acme/platform/api/feature-login", "branch"],
        ["acme/platform/api/main", "branch"],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
