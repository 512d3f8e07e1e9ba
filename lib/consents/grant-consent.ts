// A person approves an agent's authorization request, possibly narrowed: fewer tools, a node deeper in the requested
// subtree, a shorter duration. Creates the Consent and a single-use authorization code bound to the agent, the
// redirect URI, the PKCE challenge and the consent, and answers where to send the person back to.
import { z } from "zod";
import type { User } from "@/generated/sqlite/client";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { nodePath } from "@/lib/authz/paths";
import { currentAuthz } from "@/lib/authz/snapshot-cache";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { type Db, inTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { newId } from "@/lib/ids";
import { type AuthorizationRequest, redirectWith } from "./authorization-request";
import { newAuthorizationCode } from "./authorization-code";
import { isWithin, userHoldsTool } from "./consent-screen";
import { CODE_TTL_SECONDS, MIN_CONSENT_SECONDS } from "./limits";

export const consentChoice = z.object({
  tools: z.array(z.string().max(100)).min(1, "Choose at least one tool").max(100),
  /** a node at or below the requested one; null only when the request named none */
  nodeId: z.string().max(100).nullable(),
  durationSeconds: z.number().int().min(MIN_CONSENT_SECONDS),
});
export type ConsentChoice = z.input<typeof consentChoice>;

export type GrantedConsent = { consentId: string; redirectTo: string; tools: string[]; removed: string[] };

export async function grantConsent(db: Db, request: AuthorizationRequest, input: ConsentChoice, user: Pick<User, "id" | "email">, now = new Date()): Promise<GrantedConsent> {
  const choice = consentChoice.parse(input);
  // narrowing only: everything chosen must be within what the agent asked for
  const extra = choice.tools.filter((t) => !request.tools.includes(t));
  if (extra.length > 0) throw new AppError("bad_request", `Not requested by the agent: ${extra.join(" ")}`);
  if (choice.durationSeconds > request.durationSeconds) throw new AppError("bad_request", "The duration can only be shortened");
  const loaded = await currentAuthz(db, now.getTime());
  if (choice.nodeId === null ? request.nodeId !== null : !loaded.snapshot.nodes.has(choice.nodeId) || !isWithin(loaded, choice.nodeId, request.nodeId)) {
    throw new AppError("bad_request", "The resource can only be narrowed to a node inside the requested one");
  }

  // a person cannot delegate what they lack: those tools leave the consent
  const tools = [...new Set(choice.tools)].filter((t) => userHoldsTool(loaded, user.id, t, choice.nodeId, now));
  const removed = [...new Set(choice.tools)].filter((t) => !tools.includes(t));
  const where = choice.nodeId === null ? "anywhere" : `on ${nodePath(loaded.snapshot, choice.nodeId)}`;
  if (tools.length === 0) throw new AppError("bad_request", `You hold none of the chosen tools ${where}, so you cannot delegate them`);

  const consentId = newId("consent", now.getTime());
  const expiresAt = new Date(now.getTime() + choice.durationSeconds * 1000);
  const code = newAuthorizationCode(request.resource);
  // a plain transaction, not changeCredentials: a new consent replaces nothing the credential caches could hold
  // (they never remember a miss), so there is nothing for any instance to drop
  await inTransaction(db, async (tx) => {
    await tx.consent.create({
      data: { id: consentId, userId: user.id, agentId: request.agent.id, scope: tools.join(" "), nodeId: choice.nodeId, expiresAt, createdAt: now },
    });
    await tx.authorizationCode.create({
      data: {
        hash: hashSecret(code),
        agentId: request.agent.id,
        userId: user.id,
        consentId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        scope: tools.join(" "),
        nodeId: choice.nodeId,
        expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
        createdAt: now,
      },
    });
    await recordAuditEvent(
      tx,
      {
        actor: { type: "user", id: user.id, label: user.email },
        action: "consent.grant",
        target: { type: "consent", id: consentId },
        details: {
          agentId: request.agent.id,
          agent: request.agent.name,
          scope: tools,
          requested: request.tools,
          ...(removed.length ? { notHeld: removed } : {}),
          node: choice.nodeId === null ? null : { id: choice.nodeId, path: nodePath(loaded.snapshot, choice.nodeId) },
          expiresAt: expiresAt.toISOString(),
          ...(request.resource ? { resource: request.resource } : {}),
        },
      },
      now,
    );
  });
  return { consentId, redirectTo: redirectWith(request.redirectUri, { code, state: request.state }), tools, removed };
}
