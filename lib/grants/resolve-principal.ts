// The principal of a grant: an agent by id, or a user by id or email. Only existing principals can be granted
// anything; a killed agent gets nothing new.
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { PrincipalRef } from "@/lib/authz/types";
import type { PrincipalInput } from "./schemas";

function invalid(message: string): AppError {
  return new AppError("validation_failed", `principal: ${message}`, [{ path: "principal", message }]);
}

export async function resolvePrincipal(db: Db, p: PrincipalInput): Promise<PrincipalRef & { label: string }> {
  if (p.type === "agent") {
    const agent = await db.agent.findUnique({ where: { id: p.id ?? "" }, select: { id: true, name: true, status: true } });
    if (!agent) throw invalid(`no agent ${p.id}`);
    if (agent.status === "killed") throw new AppError("conflict", `Agent ${agent.name} was killed; it cannot be granted anything`);
    return { type: "agent", id: agent.id, label: agent.name };
  }
  const ref = (p.email ?? p.id ?? "").trim();
  const user = ref.includes("@")
    ? await db.user.findUnique({ where: { email: ref.toLowerCase() }, select: { id: true, email: true } })
    : await db.user.findUnique({ where: { id: ref }, select: { id: true, email: true } });
  if (!user) throw invalid(`no user ${ref}`);
  return { type: "user", id: user.id, label: user.email };
}
