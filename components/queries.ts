// Every query the console makes, in one place: a query key is written here and nowhere else.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { AgentDetailView } from "@/lib/agents/agent-view";
import type { AgentPage } from "@/lib/agents/list-agents";
import type { ApiKeyView } from "@/lib/api-keys/api-key-view";
import type { AuditEventView } from "@/lib/audit/list-events";
import type { listSigningKeys } from "@/lib/keys/list-signing-keys";
import type { UserView } from "@/lib/users/user-view";
import { apiFetch } from "./api-client";

export type SigningKeyView = Awaited<ReturnType<typeof listSigningKeys>>[number];

export type AgentFilters = { q?: string; status?: string; kind?: string; ownerId?: string; sort?: string; order?: string };

const search = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]).toString();

export const queries = {
  /** Every agent query (lists and details) starts with this key: invalidate it after any agent change. */
  agentsAll: () => ({ queryKey: ["agents"] as const }),
  /** Agents, one keyset page at a time. */
  agents: (filters: AgentFilters) =>
    infiniteQueryOptions({
      queryKey: ["agents", "list", filters],
      queryFn: ({ pageParam }) => apiFetch<AgentPage>(`/agents?${search({ ...filters, cursor: pageParam })}`),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** One agent with its credentials and recent tokens. */
  agent: (id: string) =>
    queryOptions({
      queryKey: ["agents", "detail", id],
      queryFn: () => apiFetch<AgentDetailView>(`/agents/${encodeURIComponent(id)}`),
    }),
  users: () =>
    queryOptions({
      queryKey: ["users"],
      queryFn: () => apiFetch<{ users: UserView[] }>("/users").then((r) => r.users),
    }),
  apiKeys: () =>
    queryOptions({
      queryKey: ["api-keys"],
      queryFn: () => apiFetch<{ apiKeys: ApiKeyView[] }>("/api-keys").then((r) => r.apiKeys),
    }),
  /** The audit trail, one keyset page at a time. */
  auditEvents: (filters: { action?: string; actorId?: string; result?: string }) =>
    infiniteQueryOptions({
      queryKey: ["audit-events", filters],
      queryFn: ({ pageParam }) => {
        const params = { ...filters, cursor: pageParam };
        const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]);
        return apiFetch<{ events: AuditEventView[]; nextCursor: string | null }>(`/audit-events?${qs}`);
      },
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  signingKeys: () =>
    queryOptions({
      queryKey: ["signing-keys"],
      queryFn: () => apiFetch<{ signingKeys: SigningKeyView[] }>("/signing-keys").then((r) => r.signingKeys),
    }),
};
