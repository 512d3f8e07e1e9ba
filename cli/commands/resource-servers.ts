import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createResourceServer } from "@/lib/resource-servers/create-resource-server";
import { disableResourceServer } from "@/lib/resource-servers/disable-resource-server";
import { enableResourceServer } from "@/lib/resource-servers/enable-resource-server";
import { listResourceServers } from "@/lib/resource-servers/list-resource-servers";
import { rotateResourceServerSecret } from "@/lib/resource-servers/rotate-resource-server-secret";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, need, optional, wholeNumber } from "./flags";

export async function resourceServerCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const r = await createResourceServer(db, { name: need(flags, "name"), audience: need(flags, "audience"), description: optional(flags, "description") }, actor);
      return print(o, { id: r.resourceServer.id, audience: r.resourceServer.audience, secret: r.secret }, () =>
        [
          `registered resource server ${r.resourceServer.name} for ${r.resourceServer.audience}`,
          `id:     ${r.resourceServer.id}`,
          `secret: ${r.secret}   (shown once: Deputy stores only a hash of it)`,
        ].join("\n"),
      );
    }
    case "list": {
      const servers = await listResourceServers(db);
      return print(o, servers, () => table(servers, ["id", "name", "audience", "status", "activeSecrets"]));
    }
    case "rotate-secret": {
      const id = first(positionals, "resource-server rotate-secret <id> [--grace-hours H]");
      const graceHours = wholeNumber(flags, "grace-hours");
      const r = await rotateResourceServerSecret(db, id, graceHours === undefined ? {} : { graceHours }, actor);
      // only the secret, so that `SECRET=$(deputy resource-server rotate-secret rsv_...)` works
      return print(o, { id, secret: r.secret, secret_id: r.secretInfo.id, grace_ends_at: r.graceEndsAt, rotated_secret_ids: r.rotatedSecretIds }, r.secret);
    }
    case "disable": {
      const s = await disableResourceServer(db, first(positionals, "resource-server disable <id>"), actor);
      return print(o, s, `disabled ${s.id} (${s.name}): its secrets no longer authenticate`);
    }
    case "enable": {
      const s = await enableResourceServer(db, first(positionals, "resource-server enable <id>"), actor);
      return print(o, s, `enabled ${s.id} (${s.name})`);
    }
    default:
      throw new UsageError(`unknown resource-server command: ${sub ?? "(none)"}`);
  }
}
