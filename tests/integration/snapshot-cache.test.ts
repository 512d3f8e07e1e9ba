// The decision snapshot stays current: grant-only changes are patched in from the change log (no full reload), other
// changes and gaps in the log reload everything, and a change committed by another instance (simulated: written
// without this process's local invalidation) is honoured once the counter is next read. Time is passed in.
import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "@/lib/authz/decide";
import { currentAuthz, snapshotStats } from "@/lib/authz/snapshot-cache";
import { getDb } from "@/lib/db/client";
import { authzChanged, readAuthzVersion } from "@/lib/grants/authz-version";
import { revokeGrant } from "@/lib/grants/revoke-grant";
import { newId } from "@/lib/ids";
import { renameNode } from "@/lib/resources/rename-node";
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
  it("patches created and revoked grants in without reloading, and reloads on a tree change", async () => {
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
    expect(snapshotStats().loads).toBe(before.loads);
    expect(snapshotStats().patches).toBe(before.patches + 2);

    await renameNode(db(), node, { name: `r2-${Date.now()}` }, testActor);
    await currentAuthz(db(), t);
    expect(snapshotStats().loads).toBe(before.loads + 1);
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
      await authzChanged(tx, [{ id: grant.id, principalType: "agent", principalId: agent.id }]);
    });
    expect(await allowed(agent.id, node, t + 1)).toBe(true); // read the counter under 250 ms ago
    expect(await allowed(agent.id, node, t + 300)).toBe(false);
    expect(snapshotStats()).toEqual({ loads: before.loads, patches: before.patches + 1 });
  });

  it("reloads everything when the change log has a gap or a change to more than grants", async () => {
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
      await authzChanged(tx, []);
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
