// Every query the console makes, in one place: a query key is written here and nowhere else.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { ApiKeyView } from "@/lib/api-keys/api-key-view";
import type { AuditEventView } from "@/lib/audit/list-events";
import type { UserView } from "@/lib/users/user-view";
import { apiFetch } from "./api-client";

export const queries = {
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
};
