// What leaves the server about resource servers: never a secret or its hash. A secret appears only in the response
// of the call that made it (create, rotate).
import type { ResourceServer, ResourceServerSecret } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import type { ResourceServerStatus } from "./format";

export type ResourceServerSecretStatus = "active" | "expired" | "revoked";

export type ResourceServerSecretView = {
  id: string;
  last4: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: ResourceServerSecretStatus;
};

export type ResourceServerView = {
  id: string;
  name: string;
  /** the audience URI of the tokens it may ask about */
  audience: string;
  description: string;
  status: ResourceServerStatus;
  createdAt: string;
  updatedAt: string;
  /** secrets that work now */
  activeSecrets: number;
};

export type ResourceServerDetailView = ResourceServerView & { secrets: ResourceServerSecretView[] };

export function rsSecretStatus(s: Pick<ResourceServerSecret, "revokedAt" | "expiresAt">, now: Date): ResourceServerSecretStatus {
  if (s.revokedAt) return "revoked";
  return s.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toRsSecretView(s: ResourceServerSecret, now: Date): ResourceServerSecretView {
  return {
    id: s.id,
    last4: s.last4,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
    revokedAt: s.revokedAt?.toISOString() ?? null,
    status: rsSecretStatus(s, now),
  };
}

export function toResourceServerView(r: ResourceServer, activeSecrets: number): ResourceServerView {
  return {
    id: r.id,
    name: r.name,
    audience: r.audience,
    description: r.description,
    status: r.status as ResourceServerStatus,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    activeSecrets,
  };
}

/** One resource server with its secrets (newest first), or a 404. */
export async function loadResourceServer(db: Db, id: string, now: Date): Promise<ResourceServerDetailView> {
  const r = await db.resourceServer.findUnique({ where: { id }, include: { secrets: { orderBy: [{ createdAt: "desc" }, { id: "desc" }] } } });
  if (!r) throw notFound("Resource server");
  const secrets = r.secrets.map((s) => toRsSecretView(s, now));
  return { ...toResourceServerView(r, secrets.filter((s) => s.status === "active").length), secrets };
}
