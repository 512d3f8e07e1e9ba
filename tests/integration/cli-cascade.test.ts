// `deputy node delete --dry-run` and `--cascade --digest`, and `deputy tool update`, as an operator runs them (a real
// process against the test database). Each spawn costs about two seconds: few of them.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createNode } from "@/lib/resources/create-node";
import { testActor } from "../helpers/factories";
import { makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";
import { deputy } from "../helpers/cli";

describe("deputy node delete --cascade --dry-run / --digest", () => {
  it("lists what would go with a digest, refuses a stale digest, and deletes with the fresh one", { timeout: 60_000 }, async () => {
    const { root, nodes } = await makeTree(["a", "a/b"]);
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes["a/b"]!.id });

    const dry = await deputy(["node", "delete", `${root}/a`, "--dry-run"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    const lines = dry.stdout.trim().split("\n");
    expect(lines[0]).toBe(`would delete ${root}/a: 2 nodes, 1 grant (needs --cascade)`);
    expect(lines).toContain(`  node   ${root}/a/b  (folder)`);
    expect(lines).toContain(`  grant  ${grant.id}  agent ${agent.name}  role Viewer  on ${root}/a/b  active`);
    const digest = lines.at(-1)!.replace("digest: ", "");
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await getDb().resourceNode.count({ where: { id: nodes.a!.id } })).toBe(1);

    await createNode(getDb(), { type: "folder", name: "late", parent: nodes.a!.id }, testActor);
    const stale = await deputy(["node", "delete", `${root}/a`, "--cascade", "--digest", digest]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`${root}/a changed since the preview: it now has 3 nodes and 1 grant; preview the delete again`);
    expect(await getDb().resourceNode.count({ where: { id: nodes.a!.id } })).toBe(1);

    const fresh = JSON.parse((await deputy(["node", "delete", nodes.a!.id, "--dry-run", "--json"])).stdout) as { digest: string; nodeCount: number };
    expect(fresh.nodeCount).toBe(3);
    const done = await deputy(["node", "delete", nodes.a!.id, "--cascade", "--digest", fresh.digest]);
    expect(done.stderr).toBe("");
    expect(done.stdout.trim()).toBe(`deleted ${root}/a: 3 nodes, 1 grant`);
    expect(await getDb().grant.count({ where: { id: grant.id } })).toBe(0);
  });
});

describe("deputy tool update", () => {
  it("changes risk and approval settings; a bad value exits 1 naming the field", { timeout: 60_000 }, async () => {
    const tool = await makeTool({ risk: "write" });
    const ok = await deputy(["tool", "update", tool.name, "--risk", "irreversible", "--approval-policy", "quorum", "--approval-quorum", "2", "--approval-ttl", "900"]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout.trim()).toBe(`updated tool ${tool.name} (irreversible; approval: quorum, 900s)`);
    const row = await getDb().tool.findUniqueOrThrow({ where: { id: tool.id } });
    expect([row.risk, row.approvalPolicy, row.approvalQuorum, row.approvalTtlSeconds]).toEqual(["irreversible", "quorum", 2, 900]);
    const bad = await deputy(["tool", "update", tool.name, "--approval-ttl", "30"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("approvalTtlSeconds: must be at least 60 (a minute)");
  });
});
