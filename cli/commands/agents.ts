import { activateAgent } from "@/lib/agents/activate-agent";
import { createAgent } from "@/lib/agents/create-agent";
import { listAgents } from "@/lib/agents/list-agents";
import { killAgent } from "@/lib/agents/kill-agent";
import { reactivateAgent } from "@/lib/agents/reactivate-agent";
import { restoreAgent } from "@/lib/agents/restore-agent";
import { rotateClientSecret } from "@/lib/agents/rotate-client-secret";
import type { AgentView } from "@/lib/agents/agent-view";
import type { ListAgentsQuery } from "@/lib/agents/schemas";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { type Output, print, table, UsageError } from "../output";

type Flags = Record<string, string | boolean | undefined>;

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !v) throw new UsageError(`--${name} is required`);
  return v;
}

function wholeNumber(flags: Flags, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number`);
  return Number(v);
}

function agentId(flags: Flags, positionals: string[], usage: string): string {
  const id = (flags.id as string | undefined) ?? positionals[0];
  if (!id) throw new UsageError(`usage: ${usage}`);
  return id;
}

/** A user id, or the id of the user with this email (disabled users too: their agents are still listed). */
async function ownerIdOf(db: DbClient, ref: string): Promise<string> {
  if (!ref.includes("@")) return ref;
  const user = await db.user.findUnique({ where: { email: ref.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw notFound(`User ${ref}`);
  return user.id;
}

export async function agentCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const r = await createAgent(
        db,
        {
          name: need(flags, "name"),
          owner: need(flags, "owner"),
          kind: flags.kind as never, // validated by createAgentInput
          description: flags.description as string | undefined,
          allowedScopes: flags.scopes as string | undefined,
          tokenTtlSeconds: wholeNumber(flags, "ttl"),
          canIntrospect: flags.introspect === true,
          redirectUris: flags["redirect-uris"] as string | undefined, // space-separated, validated by createAgentInput
        },
        actor,
      );
      // the OAuth names, so that the output feeds an OAuth client's configuration as it is
      return print(o, { id: r.agent.id, client_id: r.agent.clientId, client_secret: r.clientSecret }, () =>
        [
          `created agent ${r.agent.name} (${r.agent.kind}, owner ${r.agent.owner.email})`,
          `client_id:     ${r.agent.clientId}`,
          `client_secret: ${r.clientSecret}   (shown once: Deputy stores only a hash of it)`,
        ].join("\n"),
      );
    }
    case "list": {
      const query: ListAgentsQuery = {
        status: flags.status as never, // validated by listAgentsQuery
        ...(typeof flags.owner === "string" ? { ownerId: await ownerIdOf(db, flags.owner) } : {}),
        sort: "name",
        limit: 100,
      };
      const agents: AgentView[] = [];
      for (let cursor: string | undefined; ; ) {
        const page = await listAgents(db, { ...query, cursor });
        agents.push(...page.agents);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const rows = agents.map((a) => ({ ...a, owner: a.owner.email, rotation: a.rotationDue ? "due" : "" }));
      return print(o, agents, () => table(rows, ["id", "name", "kind", "status", "owner", "activeSecrets", "rotation", "lastSeenAt"]));
    }
    case "suspend": {
      const agent = await suspendAgent(db, agentId(flags, positionals, "agent suspend <agent id>"), actor);
      return print(o, agent, `suspended ${agent.id} (${agent.name}): it gets no tokens, and the ones it holds stop working`);
    }
    case "activate": {
      const agent = await activateAgent(db, agentId(flags, positionals, "agent activate <agent id>"), actor);
      return print(o, agent, `activated ${agent.id} (${agent.name}): it can get tokens with the credentials it registered`);
    }
    case "reactivate": {
      const agent = await reactivateAgent(db, agentId(flags, positionals, "agent reactivate <agent id>"), actor);
      return print(o, agent, `reactivated ${agent.id} (${agent.name})`);
    }
    case "kill": {
      const id = agentId(flags, positionals, "agent kill <agent id> --confirm <agent name>");
      const r = await killAgent(db, id, { confirm: need(flags, "confirm"), reason: flags.reason as string | undefined }, actor);
      return print(
        o,
        r,
        `killed ${r.agent.id} (${r.agent.name}): ${r.revokedSecretIds.length} secrets and ${r.revokedKeyIds.length} keys revoked, ` +
          `${r.cancelledApprovalIds.length} pending approvals cancelled; its tokens are refused everywhere within a second`,
      );
    }
    case "restore": {
      const r = await restoreAgent(db, agentId(flags, positionals, "agent restore <agent id>"), {}, actor);
      // only the secret, so that `SECRET=$(deputy agent restore agt_...)` works
      return print(o, { id: r.agent.id, client_id: r.agent.clientId, client_secret: r.clientSecret, status: r.agent.status }, r.clientSecret);
    }
    case "rotate-secret": {
      const id = agentId(flags, positionals, "agent rotate-secret <agent id> [--grace-hours H]");
      const graceHours = wholeNumber(flags, "grace-hours");
      const r = await rotateClientSecret(db, id, graceHours === undefined ? {} : { graceHours }, actor);
      // only the secret, so that `SECRET=$(deputy agent rotate-secret agt_...)` works
      return print(
        o,
        { id: r.secret.id, client_id: id, client_secret: r.clientSecret, grace_ends_at: r.graceEndsAt, rotated_secret_ids: r.rotatedSecretIds },
        r.clientSecret,
      );
    }
    default:
      throw new UsageError(`unknown agent command: ${sub ?? "(none)"}`);
  }
}
