// GET /api/v1/initial-access-tokens: list initial access tokens for dynamic client registration (RFC 7591), last four
// characters only. POST: issue one; the token is returned once.
import { issueInitialAccessToken } from "@/lib/dcr/issue-initial-access-token";
import { listInitialAccessTokens } from "@/lib/dcr/list-initial-access-tokens";
import { issueInitialAccessTokenInput } from "@/lib/dcr/schemas";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin"] }, async ({ db }) => ({ initialAccessTokens: await listInitialAccessTokens(db) }));

export const POST = apiRoute({ roles: ["admin"], body: issueInitialAccessTokenInput }, async ({ db, body, principal }) =>
  created(await issueInitialAccessToken(db, body, principal.actor)),
);
