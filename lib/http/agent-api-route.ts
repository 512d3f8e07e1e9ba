// apiRoute's sibling for the few /api/v1 routes agents call themselves (approvals): the caller is either an agent,
// with its own access token from /oauth/token (`Authorization: Bearer <JWT>`), or a console user / admin API key
// exactly as apiRoute authenticates them. Use cases decide what each kind of caller may see.
//
// An agent's token must be issued for Deputy itself (no `resource` at the token endpoint: its audience is the issuer).
// A token issued for a resource server is refused here, so that a server the agent called cannot replay it against
// the agent's approvals.
import type { z } from "zod";
import type { Actor } from "@/lib/audit/actor";
import type { ConsoleRole } from "@/lib/auth/roles";
import { agentById } from "@/lib/agents/credential-cache";
import type { DbClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type AccessTokenClaims, checkAccessToken } from "@/lib/oauth/access-token";
import { issuer } from "@/lib/oauth/issuer";
import { bearerChallenge } from "@/lib/oauth/protected-resource-metadata";
import { authenticateRequest, type Principal } from "./authenticate-request";
import { type Infer, routeWith } from "./api-route";

export type AgentCaller = { kind: "agent"; agentId: string; claims: AccessTokenClaims; actor: Actor };
export type ConsoleCaller = { kind: "console"; principal: Principal };
export type Caller = AgentCaller | ConsoleCaller;

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// RFC 9728 section 5.1: the challenge names Deputy's protected resource metadata, so a client can discover where
// to get a token for this API
const invalidToken = (message: string) =>
  new AppError("unauthorized", message, undefined, { "WWW-Authenticate": bearerChallenge("invalid_token") });

/** An agent when the bearer credential is a JWT; otherwise whoever authenticateRequest says (API key or session). */
export async function authenticateCaller(db: DbClient, request: Request, now = new Date()): Promise<Caller> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "")?.[1];
  if (!bearer || !JWT.test(bearer)) return { kind: "console", principal: await authenticateRequest(db, request) };
  const check = await checkAccessToken(db, bearer, now);
  if (!check.active) throw invalidToken("The access token is not active");
  if (![check.claims.aud].flat().includes(issuer())) {
    throw invalidToken(`This token was issued for another audience; ask /oauth/token for one without resource (audience ${issuer()})`);
  }
  const agentId = check.claims.client_id;
  const agent = await agentById(db, agentId); // in memory: checkAccessToken has just read it
  return { kind: "agent", agentId, claims: check.claims, actor: { type: "agent", id: agentId, label: agent?.name ?? agentId } };
}

type Spec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  /** console roles allowed; agents are let through to the handler, which limits them to their own requests */
  roles: readonly ConsoleRole[];
  agents: boolean;
  body?: B;
  query?: Q;
};

export type CallerContext<B, Q> = { request: Request; db: DbClient; caller: Caller; params: Record<string, string>; body: B; query: Q };

export function agentApiRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: Spec<B, Q>,
  handler: (ctx: CallerContext<Infer<B>, Infer<Q>>) => Promise<unknown>,
) {
  return routeWith(
    spec,
    async (db, request) => {
      const caller = await authenticateCaller(db, request);
      if (caller.kind === "agent" ? !spec.agents : !spec.roles.includes(caller.principal.role)) {
        throw new AppError("forbidden", caller.kind === "agent" ? "Agents may not do this" : "Your role may not do this");
      }
      return { caller };
    },
    handler,
  );
}
