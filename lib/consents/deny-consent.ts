// A person refuses an agent's authorization request on the consent screen. The refusal is audited (who refused
// which agent what) and the agent is sent back its RFC 6749 access_denied.
import type { User } from "@/generated/sqlite/client";
import { recordAuditEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db/client";
import { type AuthorizationRequest, errorRedirect } from "./authorization-request";

export async function denyConsent(db: Db, request: AuthorizationRequest, user: Pick<User, "id" | "email">, now = new Date()): Promise<{ redirectTo: string }> {
  await recordAuditEvent(
    db,
    {
      actor: { type: "user", id: user.id, label: user.email },
      action: "consent.deny",
      target: { type: "agent", id: request.agent.id },
      result: "success",
      details: { agent: request.agent.name, requested: request.tools, node: request.nodeId, resource: request.resource },
    },
    now,
  );
  return { redirectTo: errorRedirect(request.redirectUri, "access_denied", "The person denied the request", request.state) };
}
