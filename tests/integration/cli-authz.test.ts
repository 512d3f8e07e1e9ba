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
import { uniqueTag } from "../helpers/factories";
import { makeAgent } from "./authz-helpers";
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
