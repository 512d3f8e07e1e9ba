// The decision snapshot stays current: grant, node and tool changes are patched in from the change log (no full
// reload), other changes and gaps in the log reload everything, and a change committed by another instance (simulated: written
// without this process's local invalidation) is honoured once the counter is next read. Time is passed in.
import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "@/lib/authz/decide";
import { currentAuthz, snapshotStats } from "@/lib/authz/snapshot-cache";
import { getDb } from "@/lib/db/client";
import { authzChanged, readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { newId } from "@/lib/ids";
import { resolveInSnapshot } from "@/lib/authz/load-snapshot";
import { createNode } from "@/lib/resources/create-node";
import { deleteNode } from "@/lib/resources/delete-node";
import { moveNode } from "@/lib/resources/move-node";
import { renameNode } from "@/lib/resources/rename-node";
import { createRole } from "@/lib/roles/create-role";
import { updateRole } from "@/lib/roles/update-role";
import { updateTool } from "@/lib/tools/update-tool";
import { testActor } from "../helpers/factories";
import { makeAgent, makeGrant, makeTool, makeTree } from "./authz-helpers";

const db = () => getDb();

let toolName = "";
beforeAll(async () => {
  toolName = (await makeTool({ risk: "read" })).name;
});

async function allowed(agentId: string, nodeId: string, now: number): Promise<boolean> {
  const loaded = await currentAuthz(db(), now);
  return decide(loaded.snapshot, { tool: toolName, nodeId, params: {}, principals: [{ type: "agent", id: agentId }] }, new Date(now)).decision === "allow";
}

describe("snapshot cache", () => {
  it("patches created and revoked grants in without reloading", async () => {
    const { nodes } = await makeTree(["project:p", "p/repository:r"]);
    const node = nodes["p/r"]!.id;
    const agent = await makeAgent();
    const t = Date.now();
    await currentAuthz(db(), t); // loaded
    const before = { ...snapshotStats() };

    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node: node, tool: toolName });
    expect(await allowed(agent.id, node, t)).toBe(true);
    expect(snapshotStats().loads).toBe(before.loads);
    expect(snapshotStats().patches).toBe(before.patches + 1);

    // the agent was created after the load: its name arrives with the patch, for reasons
    expect((await currentAuthz(db(), t)).snapshot.labels.get(`agent:${agent.id}`)).toBe(agent.name);

    await revokeGrant(db(), grant.id, testActor);
    expect(await allowed(agent.id, node, t)).toBe(false);
    expect(snapshotStats()).toEqual({ loads: before.loads, patches: before.patches + 2 });
  });

  it("patches node and tool changes in: create, rename, move, cascade delete, a new tool and a risk change", async () => {
    const { root, nodes } = await makeTree(["project:a", "project:b"]);
    const agent = await makeAgent();
    const t = Date.now();
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.a!.id, tool: toolName });
    await currentAuthz(db(), t);
    const before = { ...snapshotStats() };

    // a node made after the load: resolvable by path, and inherits from its parent
    const leaf = await createNode(db(), { type: "repository", name: "leaf", parent: nodes.a!.id }, testActor);
    let loaded = await currentAuthz(db(), t);
    expect(resolveInSnapshot(loaded, `${root}/a/leaf`)).toBe(leaf.id);
    expect(await allowed(agent.id, leaf.id, t)).toBe(true);

    // renamed: the old path no longer resolves, the new one does
    await renameNode(db(), leaf.id, { name: "leaf2" }, testActor);
    loaded = await currentAuthz(db(), t);
    expect(resolveInSnapshot(loaded, `${root}/a/leaf`)).toBeNull();
    expect(resolveInSnapshot(loaded, `${root}/a/leaf2`)).toBe(leaf.id);

    // moved under b: the grant on a no longer reaches it
    await moveNode(db(), leaf.id, { parent: nodes.b!.id }, testActor);
    expect(await allowed(agent.id, leaf.id, t)).toBe(false);
    expect(resolveInSnapshot(await currentAuthz(db(), t), `${root}/b/leaf2`)).toBe(leaf.id);

    // a new tool and a risk change, both patched: irreversible asks for approval at once
    const tool = await makeTool({ risk: "read" });
    await makeGrant({ principal: { type: "agent", id: agent.id }, node: nodes.b!.id, tool: tool.name });
    const ask = async () =>
      decide((await currentAuthz(db(), t)).snapshot, { tool: tool.name, nodeId: leaf.id, params: {}, principals: [{ type: "agent", id: agent.id }] }, new Date(t)).decision;
    expect(await ask()).toBe("allow");
    await updateTool(db(), tool.name, { risk: "irreversible" }, testActor);
    expect(await ask()).toBe("approval_required");

    // a cascade delete takes the subtree and its grants out of the snapshot
    await deleteNode(db(), nodes.b!.id, { cascade: true }, testActor);
    loaded = await currentAuthz(db(), t);
    expect(loaded.snapshot.nodes.has(leaf.id)).toBe(false);
    expect(loaded.snapshot.nodes.has(nodes.b!.id)).toBe(false);
    expect(loaded.snapshot.grantsByPrincipal.get(`agent:${agent.id}`)!.map((g) => g.nodeId)).toEqual([nodes.a!.id]);

    expect(snapshotStats().loads).toBe(before.loads);
    expect(snapshotStats().patches).toBeGreaterThan(before.patches);
  });

  it("reloads everything on a change that does not say what it wrote (a role's tools)", async () => {
    const t = Date.now();
    await currentAuthz(db(), t);
    const before = snapshotStats().loads;
    const role = await createRole(db(), { name: `role-${Date.now()}`, tools: [toolName] }, testActor);
    await updateRole(db(), role.id, { tools: [] }, testActor);
    await currentAuthz(db(), t);
    expect(snapshotStats().loads).toBe(before + 1);
  });

  it("honours a grant change committed elsewhere once the counter is read again, and patches it", async () => {
    const { nodes } = await makeTree(["project:p"]);
    const node = nodes["p"]!.id;
    const agent = await makeAgent();
    const grant = await makeGrant({ principal: { type: "agent", id: agent.id }, node, tool: toolName });
    const t = Date.now() + 10_000;
    expect(await allowed(agent.id, node, t)).toBe(true);
    const before = { ...snapshotStats() };

    // another instance revokes the grant: the counter and the change log move, this process is not told
    await db().$transaction(async (tx) => {
      await tx.grant.update({ where: { id: grant.id }, data: { revokedAt: new Date() } });
      await authzChanged(tx, { grants: [{ id: grant.id, principalType: "agent", principalId: agent.id }] });
    });
    expect(await allowed(agent.id, node, t + 1)).toBe(true); // read the counter under 250 ms ago
    expect(await allowed(agent.id, node, t + 300)).toBe(false);
    expect(snapshotStats()).toEqual({ loads: before.loads, patches: before.patches + 1 });
  });

  it("reloads everything when the change log has a gap or a change that did not say what it wrote", async () => {
    const { nodes } = await makeTree(["project:p"]);
    const node = nodes["p"]!.id;
    const agent = await makeAgent();
    const t = Date.now() + 20_000;
    await currentAuthz(db(), t);
    const before = { ...snapshotStats() };

    // a grant written by another instance whose change record is missing (say, pruned): only a reload finds it
    await db().$transaction(async (tx) => {
      const tool = await tx.tool.findUniqueOrThrow({ where: { name: toolName } });
      await tx.grant.create({ data: { id: newId("grant"), principalType: "agent", principalId: agent.id, toolId: tool.id, nodeId: node } });
      await authzChanged(tx, { grants: [] });
      await tx.authzChange.delete({ where: { version: await readAuthzVersion(tx) } });
    });
    expect(await allowed(agent.id, node, t + 300)).toBe(true);
    expect(snapshotStats().loads).toBe(before.loads + 1);

    // kind "all": a change that did not say what it wrote
    await db().$transaction((tx) => authzChanged(tx));
    await currentAuthz(db(), t + 600);
    expect(snapshotStats().loads).toBe(before.loads + 2);
  });
});
