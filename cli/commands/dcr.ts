// deputy dcr token create|list|revoke: initial access tokens for dynamic client registration (RFC 7591).
import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { issueInitialAccessToken } from "@/lib/dcr/issue-initial-access-token";
import { listInitialAccessTokens } from "@/lib/dcr/list-initial-access-tokens";
import { revokeInitialAccessToken } from "@/lib/dcr/revoke-initial-access-token";
import { type Output, print, table, UsageError } from "../output";

export async function dcrCommand(
  db: DbClient,
  sub: string | undefined,
  positionals: string[],
  flags: Record<string, string | boolean | undefined>,
  actor: Actor,
  o: Output,
) {
  if (sub !== "token") throw new UsageError(`unknown dcr command: ${sub ?? "(none)"} (try: dcr token create|list|revoke)`);
  const [action, ...rest] = positionals;
  switch (action) {
    case "create": {
      // the CLI is no user: the agent a client registers needs a named owner
      if (typeof flags.owner !== "string" || !flags.owner) throw new UsageError("--owner EMAIL is required");
      const hours = flags["expires-hours"];
      const expiresInHours = typeof hours === "string" ? Number(hours) : undefined;
      if (expiresInHours !== undefined && !Number.isInteger(expiresInHours)) throw new UsageError("--expires-hours must be a whole number");
      const r = await issueInitialAccessToken(db, { owner: flags.owner, ...(expiresInHours !== undefined ? { expiresInHours } : {}) }, actor);
      // only the token, so that `IAT=$(deputy dcr token create --owner ana@example.com)` works
      return print(o, { ...r.initialAccessToken, token: r.token }, r.token);
    }
    case "list": {
      const tokens = await listInitialAccessTokens(db);
      const rows = tokens.map((t) => ({ ...t, owner: t.owner?.email ?? "" }));
      return print(o, tokens, () => table(rows, ["id", "last4", "status", "owner", "createdAt", "expiresAt", "usedAt"]));
    }
    case "revoke": {
      const id = rest[0];
      if (!id) throw new UsageError("usage: dcr token revoke <iat id>");
      const t = await revokeInitialAccessToken(db, id, actor);
      return print(o, t, `revoked ${t.id}`);
    }
    default:
      throw new UsageError(`unknown dcr token command: ${action ?? "(none)"} (create, list or revoke)`);
  }
}
