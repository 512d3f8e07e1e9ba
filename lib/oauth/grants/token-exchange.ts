// grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693): the calling agent (authenticated, the new
// actor) presents a Deputy access token it was handed (a person's, from consent, or an upstream agent's) and gets a
// delegated token for the same subject, with itself outermost in the `act` chain.
//
// Invariant (PRODUCT property 2): the new token is a subset of the subject token at this hop. Its scope is within the
// subject's scope (and the caller's allowed tools), its deputy_resource subtree(s) within the subject's (same node or
// below, tools within, expiry no later), its expiry no later than the subject's, and it keeps the subject's consent
// (cid), so revoking the consent stops every token derived from it. Decisions then still need every principal of the
// chain to hold the tool (lib/authz/decide.ts): this grant narrows what a token may ask, grants never widen it.
import { z } from "zod";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { looksLikeSecret } from "@/lib/audit/record-event";
import { MAX_TOKEN_TTL_SECONDS, MIN_TOKEN_TTL_SECONDS, SCOPE_PATTERN } from "@/lib/agents/limits";
import { detailNodeId, isWithin, RESOURCE_DETAIL_TYPE, resourceDetailsOf } from "@/lib/authz/delegation-scope";
import { type LoadedAuthz, resolveInSnapshot } from "@/lib/authz/load-snapshot";
import { nodePath } from "@/lib/authz/paths";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import type { Db } from "@/lib/db/client";
import { mayDelegate } from "@/lib/delegation/list-delegation-rules";
import { env } from "@/lib/env";
import { OAuthError } from "@/lib/errors/oauth-error";
import { hasPrefix } from "@/lib/ids";
import { type AccessTokenClaims, type ActorClaim, checkAccessToken, type ResourceDetail, signAccessToken } from "../access-token";
import type { AuthenticatedClient } from "../client-auth";
import { parseResource } from "./client-credentials";
import type { TokenResponse } from "./types";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

const params = z.object({
  subject_token: z.string().max(16_384).optional(),
  subject_token_type: z.string().max(200).optional(),
  requested_token_type: z.string().max(200).optional(),
  actor_token: z.string().optional(),
  scope: z.string().max(4_000).optional(),
  resource: z.string().max(2_000).optional(),
  audience: z.string().max(2_000).optional(),
  authorization_details: z.string().max(16_384).optional(),
});

const requestedDetails = z
  .array(
    z
      .object({
        type: z.literal(RESOURCE_DETAIL_TYPE),
        /** a node id or a tree path */
        node: z.string().min(1).max(2_000).refine((v) => !looksLikeSecret(v), "must not contain a secret"),
        tools: z.array(z.string().regex(SCOPE_PATTERN)).max(100).optional(),
        /** seconds since the epoch, like exp */
        expiry: z.number().int().positive().optional(),
      })
      .strict(),
  )
  .min(1)
  .max(20);

export type TokenExchangeResponse = TokenResponse & { issued_token_type: typeof ACCESS_TOKEN_TYPE };

/** The actors of a chain, outermost (newest) first. */
function actorsOf(act: ActorClaim | undefined): ActorClaim[] {
  const out: ActorClaim[] = [];
  for (let a = act; a; a = a.act) out.push(a);
  return out;
}

/**
 * The chain the new actor stands in front of: the subject token's `act`, with the token's holder (client_id) as its
 * outermost actor. A consent token already names its agent there; an agent's own token names it as `sub`. The
 * holder's entry carries its token epoch, so that suspending or re-keying it stops the derived token too.
 */
function chainBehind(subject: AccessTokenClaims): ActorClaim | undefined {
  const holder = subject.client_id;
  if (subject.sub === holder) return subject.act;
  if (subject.act?.sub === holder) return subject.act.epoch === undefined ? { ...subject.act, epoch: subject.epoch } : subject.act;
  return { sub: holder, epoch: subject.epoch, ...(subject.act ? { act: subject.act } : {}) };
}

const nameOf = (loaded: LoadedAuthz, id: string) => {
  const type = hasPrefix(id, "agent") ? "agent" : "user";
  return `${type} ${loaded.snapshot.labels.get(`${type}:${id}`) ?? id}`;
};

/** "user dev@acme.test -> agent A -> agent B": the subject first, then each actor in the order they joined. */
function describeChain(loaded: LoadedAuthz, sub: string, act: ActorClaim | undefined): string {
  return [sub, ...actorsOf(act).reverse().map((a) => a.sub)].map((id) => nameOf(loaded, id)).join(" -> ");
}

function parseRequestedScope(requested: string | undefined, subjectScope: string[], allowed: string[], caller: string): string[] {
  if (requested === undefined) {
    const scope = subjectScope.filter((t) => allowed.includes(t));
    if (scope.length === 0) throw new OAuthError("invalid_scope", `None of the subject token's scope (${subjectScope.join(" ")}) is allowed for ${caller}`);
    return scope;
  }
  const tokens = [...new Set(requested.split(" "))];
  if (tokens.some((t) => !SCOPE_PATTERN.test(t))) throw new OAuthError("invalid_scope", "scope must be space-separated tool names");
  const wider = tokens.filter((t) => !subjectScope.includes(t));
  if (wider.length > 0) {
    throw new OAuthError("invalid_scope", `The requested scope is wider than the subject token's (${subjectScope.join(" ")}): ${wider.join(" ")}`);
  }
  const refused = tokens.filter((t) => !allowed.includes(t));
  if (refused.length > 0) throw new OAuthError("invalid_scope", `Not allowed for ${caller}: ${refused.join(" ")}`);
  return tokens;
}

/**
 * The new token's deputy_resource details. Requested ones must each sit inside one of the subject's (same node or
 * below, tools within, expiry no later); without a request the subject's are kept, their tools cut to the new scope.
 * A subject without any is unlimited by subtree (an agent's own token): then any known node may be asked for.
 */
function narrowDetails(loaded: LoadedAuthz, subject: AccessTokenClaims, raw: string | undefined, scope: string[]): ResourceDetail[] | undefined {
  const held = resourceDetailsOf(subject);
  if (raw === undefined) {
    return held.length ? held.map((d) => ({ ...d, tools: (d.tools ?? []).filter((t) => scope.includes(t)) })) : undefined;
  }
  let parsed: z.infer<typeof requestedDetails>;
  try {
    parsed = requestedDetails.parse(JSON.parse(raw));
  } catch (e) {
    const why = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : "not JSON";
    throw new OAuthError("invalid_authorization_details", `authorization_details must be a JSON array of ${RESOURCE_DETAIL_TYPE} objects { node, tools?, expiry? }: ${why}`);
  }
  return parsed.map((want) => {
    const nodeId = resolveInSnapshot(loaded, want.node);
    if (nodeId === null) throw new OAuthError("invalid_target", `No resource ${want.node}`);
    const path = nodePath(loaded.snapshot, nodeId);
    const outside = want.tools?.filter((t) => !scope.includes(t)) ?? [];
    if (outside.length > 0) throw new OAuthError("invalid_scope", `authorization_details tools on ${path} are outside the token's scope: ${outside.join(" ")}`);
    if (want.expiry !== undefined && want.expiry > subject.exp) {
      throw new OAuthError("invalid_authorization_details", `The expiry asked for ${path} (${want.expiry}) is later than the subject token's expiry (${subject.exp})`);
    }
    if (held.length === 0) return { type: RESOURCE_DETAIL_TYPE, node: nodeId, tools: want.tools ?? scope, ...(want.expiry ? { expiry: want.expiry } : {}) };

    const covering = held.filter((d) => {
      const root = detailNodeId(loaded, d);
      return root !== null && isWithin(loaded, nodeId, root);
    });
    if (covering.length === 0) {
      const subtrees = held.map((d) => nodePath(loaded.snapshot, detailNodeId(loaded, d) ?? "") || d.node).join(", ");
      throw new OAuthError("invalid_target", `${path} is outside the subject token's delegated subtree (${subtrees})`);
    }
    // the first covering detail that holds every tool asked for; its expiry bounds this one
    const tools = want.tools ?? scope.filter((t) => covering.some((d) => d.tools?.includes(t)));
    const parent = covering.find((d) => tools.every((t) => d.tools?.includes(t)));
    if (!parent) {
      const missing = tools.filter((t) => !covering.some((d) => d.tools?.includes(t)));
      throw new OAuthError("invalid_scope", `The subject token's delegation on ${path} does not include: ${(missing.length ? missing : tools).join(" ")}`);
    }
    if (want.expiry !== undefined && parent.expiry !== undefined && want.expiry > parent.expiry) {
      throw new OAuthError("invalid_authorization_details", `The expiry asked for ${path} (${want.expiry}) is later than the subject token's delegation there (${parent.expiry})`);
    }
    const expiry = want.expiry ?? parent.expiry;
    return { type: RESOURCE_DETAIL_TYPE, node: nodeId, tools, ...(expiry !== undefined ? { expiry } : {}) };
  });
}

export async function tokenExchangeGrant(db: Db, client: AuthenticatedClient, form: Map<string, string>, now: Date): Promise<TokenExchangeResponse> {
  const p = params.parse(Object.fromEntries(form));
  const caller = client.agent;
  if (!p.subject_token) throw new OAuthError("invalid_request", "subject_token is required");
  if (p.subject_token_type !== ACCESS_TOKEN_TYPE) {
    throw new OAuthError("invalid_request", `subject_token_type must be ${ACCESS_TOKEN_TYPE}: Deputy exchanges only its own access tokens`);
  }
  if (p.requested_token_type !== undefined && p.requested_token_type !== ACCESS_TOKEN_TYPE) {
    throw new OAuthError("invalid_request", `requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
  }
  // the actor is the authenticated client: a second credential naming someone else would only blur who acts
  if (p.actor_token !== undefined) throw new OAuthError("invalid_request", "actor_token is not accepted: the authenticated client is the actor");

  const check = await checkAccessToken(db, p.subject_token, now);
  if (!check.active) throw new OAuthError("invalid_grant", `The subject token is not active (${check.reason.replaceAll("_", " ")})`);
  const subject = check.claims;
  const loaded = await currentAuthz(db, now.getTime());
  const callerName = nameOf(loaded, caller.id);

  // who may act: the holder narrowing its own token, the agent its may_act names, or one an admin rule allows
  const holder = subject.client_id;
  const self = holder === caller.id;
  if (!self && subject.may_act?.sub !== caller.id && !(await mayDelegate(db, holder, caller.id))) {
    throw new OAuthError(
      "invalid_grant",
      `${callerName} may not act for ${describeChain(loaded, subject.sub, chainBehind(subject))}: the subject token's may_act does not name it ` +
        `and no delegation rule lets ${nameOf(loaded, holder)} delegate to it`,
    );
  }
  // the holder narrowing its own token adds no hop; anyone else joins the chain, outermost, with its token epoch
  const behind = chainBehind(subject);
  const act: ActorClaim | undefined = self ? subject.act : { sub: caller.id, epoch: caller.tokenEpoch, ...(behind ? { act: behind } : {}) };
  const depth = actorsOf(act).length;
  const maxDepth = env().DEPUTY_MAX_DELEGATION_DEPTH;
  if (depth > maxDepth) {
    throw new OAuthError(
      "invalid_grant",
      `The delegation chain ${describeChain(loaded, subject.sub, act)} would have ${depth} hops; at most ${maxDepth} are allowed (DEPUTY_MAX_DELEGATION_DEPTH)`,
    );
  }

  const scope = parseRequestedScope(p.scope, subject.scope.split(" ").filter(Boolean), caller.allowedScopes.split(" ").filter(Boolean), callerName);
  if (p.resource !== undefined && p.audience !== undefined && p.resource !== p.audience) {
    throw new OAuthError("invalid_target", "Give resource or audience, not two different ones: a token has one audience");
  }
  const target = p.resource ?? p.audience;
  const audience = target !== undefined ? parseResource(target) : typeof subject.aud === "string" ? subject.aud : parseResource(undefined);
  const authorizationDetails = narrowDetails(loaded, subject, p.authorization_details, scope);

  // an agent subject keeps the epoch its token was issued under, so that suspending it ends this token as it ends
  // the agent's own (reactivation does not lower the epoch); a person's consent is checked through cid instead
  const subjectEpoch = subject.sub === subject.client_id ? subject.epoch : subject.sub_epoch;
  // never past the subject token's expiry, whatever the caller's own token lifetime
  const iat = Math.floor(now.getTime() / 1000);
  const ownTtl = Math.min(MAX_TOKEN_TTL_SECONDS, Math.max(MIN_TOKEN_TTL_SECONDS, caller.tokenTtlSeconds));
  const ttlSeconds = Math.min(ownTtl, subject.exp - iat);
  if (ttlSeconds <= 0) throw new OAuthError("invalid_grant", "The subject token expires now");

  const { token, claims } = await signAccessToken(
    db,
    {
      agentId: caller.id,
      tokenEpoch: caller.tokenEpoch,
      scope,
      audience,
      ttlSeconds,
      subject: subject.sub,
      ...(subject.sub !== caller.id && subjectEpoch !== undefined ? { subjectEpoch } : {}),
      ...(act ? { act } : {}),
      ...(authorizationDetails ? { authorizationDetails } : {}),
      ...(subject.cid ? { consentId: subject.cid } : {}),
    },
    now,
  );
  await auditBatcher().record(
    {
      actor: { type: "agent", id: caller.id, label: caller.name },
      action: "token.exchange",
      target: { type: hasPrefix(subject.sub, "agent") ? "agent" : "user", id: subject.sub },
      details: {
        jti: claims.jti,
        subjectJti: subject.jti,
        scope: claims.scope,
        aud: audience,
        exp: claims.exp,
        // the authorization path, subject first: enough to reconstruct who acted for whom at every hop
        chain: [subject.sub, ...actorsOf(act).reverse().map((a) => a.sub)],
        ...(authorizationDetails ? { nodes: authorizationDetails.map((d) => d.node) } : {}),
        ...(subject.cid ? { consentId: subject.cid } : {}),
        grant: "token-exchange",
        auth: client.method,
      },
    },
    now,
  );
  return { access_token: token, token_type: "Bearer", expires_in: ttlSeconds, scope: claims.scope, issued_token_type: ACCESS_TOKEN_TYPE };
}
