// What leaves the server about an API key: never its hash; the key itself only once, at creation.
import type { ApiKey } from "@/generated/sqlite/client";

export type ApiKeyView = {
  id: string;
  name: string;
  last4: string;
  status: "active" | "revoked";
  createdAt: string;
  createdById: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function toApiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    last4: k.last4,
    status: k.revokedAt ? "revoked" : "active",
    createdAt: k.createdAt.toISOString(),
    createdById: k.createdById,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
