// The kill switch, freezes and drills from the `deputy` command line: a real process against the test database.
import { describe, expect, it } from "vitest";
import { createAgent } from "@/lib/agents/create-agent";
import { getDb } from "@/lib/db/client";
import { makeUser, testActor, uniqueTag } from "../helpers/factories";
import { deputy } from "../helpers/cli";

// each spawn compiles the CLI through tsx: seconds apiece on a busy machine
describe("deputy agent kill / restore, freeze, drill", { timeout: 120_000 }, () => {
  it("kill needs the agent's name; restore prints only the new secret", async () => {
    const { user } = await makeUser({ role: "admin" });
    const { agent } = await createAgent(getDb(), { name: `cli-${uniqueTag()}`, owner: user.email }, testActor);
    const wrong = await deputy(["agent", "kill", agent.id, "--confirm", agent.id]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe("deputy: The confirmation does not match the agent's name; type its name exactly\n");
    const killed = await deputy(["agent", "kill", agent.id, "--confirm", agent.name, "--reason", "cli test"]);
    expect(killed.stderr).toBe("");
    expect(killed.code).toBe(0);
    expect(killed.stdout).toContain(`killed ${agent.id} (${agent.name}): 1 secrets and 0 keys revoked`);
    const restored = await deputy(["agent", "restore", agent.id]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^dps_\S+\n$/);
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("active");
  });

  it("freeze create / lift, drill run (exit 0 when passed) and drill list", async () => {
    const { user } = await makeUser({ role: "admin" });
    const { agent } = await createAgent(getDb(), { name: `cli-${uniqueTag()}`, owner: user.email }, testActor);
    const created = await deputy(["freeze", "create", "--reason", "cli incident", "--json"]);
    expect(created.code).toBe(0);
    const f = JSON.parse(created.stdout);
    expect(f.agentIds).toContain(agent.id);
    const lifted = await deputy(["freeze", "lift", f.id]);
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toMatch(new RegExp(`^lifted ${f.id}: \\d+ agents reactivated\\n$`));
    expect((await getDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("active");

    const drill = await deputy(["drill", "run"]);
    expect(drill.stderr).toBe("");
    expect(drill.code).toBe(0);
    expect(drill.stdout).toMatch(/^drill drl_\S+: passed, time to effect \d+ ms\n/);
    const list = JSON.parse((await deputy(["drill", "list", "--json"])).stdout);
    expect(list[0]).toMatchObject({ status: "passed", startedById: "cli" });
  });
});
