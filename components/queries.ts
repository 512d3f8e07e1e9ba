// Every query the console makes, in one place: a query key is written here and nowhere else.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { AgentDetailView } from "@/lib/agents/agent-view";
import type { AgentPage } from "@/lib/agents/list-agents";
import type { ApiKeyView } from "@/lib/api-keys/api-key-view";
import type { InitialAccessTokenView } from "@/lib/dcr/initial-access-token-view";
import type { ConsentView } from "@/lib/consents/consent-view";
import type { ApprovalDetailView } from "@/lib/approvals/approval-view";
import type { ApprovalPage } from "@/lib/approvals/list-approvals";
import { type AuditFilterValues, auditFilterSearch } from "@/lib/audit/filter-params";
import type { AlertPage } from "@/lib/alerts/list-alerts";
import type { AuditEventView } from "@/lib/audit/list-events";
import type { NodeAccess } from "@/lib/resources/access-at";
import type { DeletePreview } from "@/lib/resources/preview-node-delete";
import type { ChildrenPage } from "@/lib/resources/list-children";
import type { NodeDetailView, NodeView } from "@/lib/resources/node-view";
import type { NodeTypeView } from "@/lib/resources/node-type-view";
import type { RoleView } from "@/lib/roles/role-view";
import type { ToolView } from "@/lib/tools/tool-view";
import type { listSigningKeys } from "@/lib/keys/list-signing-keys";
import type { UserView } from "@/lib/users/user-view";
import type { DeliveryPage } from "@/lib/webhooks/list-webhook-deliveries";
import type { WebhookView } from "@/lib/webhooks/webhook-view";
import type { DrillView } from "@/lib/drills/drill-view";
import type { DelegationRuleView } from "@/lib/delegation/delegation-rule-view";
import type { FreezeView } from "@/lib/freezes/freeze-view";
import { apiFetch } from "./api-client";

export type SigningKeyView = Awaited<ReturnType<typeof listSigningKeys>>[number];

/** Children are listed this many at a time: the tree loads a long child list page by page as it is scrolled. */
export const TREE_PAGE_SIZE = 250;

export type AgentFilters = { q?: string; status?: string; kind?: string; ownerId?: string; sort?: string; order?: string };

const search = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]).toString();

const childrenKey = (parentId: string | null) => ["resources", "children", parentId ?? ""] as const;

/** Whether a query key is one of a page of children of the tree (the tree re-reads its rows when one changes). */
export const isTreeChildrenKey = (key: readonly unknown[]) => key[0] === "resources" && key[1] === "children";

export type ApprovalFilters = { status?: string; agent?: string; tool?: string };

export type AlertFilters = { agent?: string; rule?: string; acknowledged?: "true" | "false" };

export const queries = {
  /** Every alerts query starts with this key: invalidate it after an acknowledgement. */
  alertsAll: () => ({ queryKey: ["alerts"] as const }),
  /** Anomaly alerts newest first, one keyset page at a time, with the open count. */
  alerts: (filters: AlertFilters, limit = 20) =>
    infiniteQueryOptions({
      queryKey: ["alerts", "list", filters, limit],
      queryFn: ({ pageParam }) => apiFetch<AlertPage>(`/alerts?${search({ ...filters, limit: String(limit), cursor: pageParam })}`),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** Freezes (incident mode): in force and recently lifted. Invalidate with agentsAll after a freeze or lift. */
  freezes: () =>
    queryOptions({
      queryKey: ["freezes"],
      queryFn: () => apiFetch<{ freezes: FreezeView[] }>("/freezes").then((r) => r.freezes),
    }),
  /** Kill-switch drill history, newest first. */
  drills: () =>
    queryOptions({
      queryKey: ["drills"],
      queryFn: () => apiFetch<{ drills: DrillView[] }>("/drills").then((r) => r.drills),
    }),
  /** Every approvals query (inbox, history, one request, the count) starts with this key: invalidate it after a vote. */
  approvalsAll: () => ({ queryKey: ["approvals"] as const }),
  /** Approval requests newest first, one keyset page at a time. */
  approvals: (filters: ApprovalFilters) =>
    infiniteQueryOptions({
      queryKey: ["approvals", "list", filters],
      queryFn: ({ pageParam }) => apiFetch<ApprovalPage>(`/approvals?${search({ ...filters, cursor: pageParam })}`),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** One request with what the grants allow and whether the viewer may decide it. */
  approval: (id: string) =>
    queryOptions({
      queryKey: ["approvals", "detail", id],
      queryFn: () => apiFetch<ApprovalDetailView>(`/approvals/${encodeURIComponent(id)}`),
    }),
  /** The number of pending requests, for the navigation. */
  approvalsPendingCount: () =>
    queryOptions({
      queryKey: ["approvals", "pending-count"],
      queryFn: () => apiFetch<ApprovalPage>("/approvals?status=pending&limit=1").then((r) => r.pendingCount),
    }),
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
  /** The delegation rules naming one agent (it delegates, or is delegated to): under agentsAll, so agent changes refresh it. */
  delegationRules: (agentId: string) =>
    queryOptions({
      queryKey: ["agents", "delegation-rules", agentId],
      queryFn: () => apiFetch<{ rules: DelegationRuleView[] }>(`/delegation-rules?agent=${encodeURIComponent(agentId)}`).then((r) => r.rules),
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
  /** Initial access tokens for dynamic client registration (Settings). */
  initialAccessTokens: () =>
    queryOptions({
      queryKey: ["initial-access-tokens"],
      queryFn: () => apiFetch<{ initialAccessTokens: InitialAccessTokenView[] }>("/initial-access-tokens").then((r) => r.initialAccessTokens),
    }),
  /** The signed-in person's consents to on-behalf-of agents (Connected agents). */
  myConsents: () =>
    queryOptions({
      queryKey: ["consents", "mine"],
      queryFn: () => apiFetch<{ consents: ConsentView[] }>("/me/consents").then((r) => r.consents),
    }),
  /** The audit trail, one keyset page at a time, filtered (lib/audit/filter-params.ts). */
  auditEvents: (filters: AuditFilterValues) =>
    infiniteQueryOptions({
      queryKey: ["audit-events", filters],
      queryFn: ({ pageParam }) => apiFetch<{ events: AuditEventView[]; nextCursor: string | null }>(`/audit-events?${auditFilterSearch(filters, { cursor: pageParam })}`),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  /** One audit event, whole (the detail drawer). */
  auditEvent: (id: string) =>
    queryOptions({
      queryKey: ["audit-events", "event", id],
      queryFn: () => apiFetch<AuditEventView>(`/audit-events/${encodeURIComponent(id)}`),
      staleTime: Infinity, // events never change
    }),
  /** Outbound webhooks; every webhook query starts with "webhooks": invalidate it after any change. */
  webhooks: () =>
    queryOptions({
      queryKey: ["webhooks", "list"],
      queryFn: () => apiFetch<{ webhooks: WebhookView[] }>("/webhooks").then((r) => r.webhooks),
    }),
  /** One webhook's delivery log, one keyset page at a time. */
  webhookDeliveries: (webhookId: string, status?: string) =>
    infiniteQueryOptions({
      queryKey: ["webhooks", "deliveries", webhookId, status ?? ""],
      queryFn: ({ pageParam }) =>
        apiFetch<DeliveryPage>(`/webhooks/${encodeURIComponent(webhookId)}/deliveries?${search({ status, cursor: pageParam })}`),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  signingKeys: () =>
    queryOptions({
      queryKey: ["signing-keys"],
      queryFn: () => apiFetch<{ signingKeys: SigningKeyView[] }>("/signing-keys").then((r) => r.signingKeys),
    }),
  /** Agents for a picker (grant and simulate dialogs): by name, at most 100, narrowed by `q`. */
  agentOptions: (q: string) =>
    queryOptions({
      queryKey: ["agents", "options", q],
      queryFn: () => apiFetch<AgentPage>(`/agents?${search({ q: q || undefined, sort: "name", limit: "100" })}`).then((r) => r.agents),
    }),
  /** Every resource tree query (children, search, node, access) starts with this key: invalidate it after any change
   * to the tree or to grants. */
  resourcesAll: () => ({ queryKey: ["resources"] as const }),
  /** One page of the children of a node (null: the roots). Each page is its own query, so that the tree can load the
   * pages of many expanded nodes at once with useQueries. */
  resourceChildren: (parentId: string | null, cursor?: string) =>
    queryOptions({
      queryKey: [...childrenKey(parentId), cursor ?? ""],
      queryFn: () => apiFetch<ChildrenPage>(`/resources?${search({ parent: parentId ?? undefined, cursor, limit: String(TREE_PAGE_SIZE) })}`),
    }),
  /** Every page of the children of one node (null: the roots): retry or refresh one level. */
  resourceChildrenAll: (parentId: string | null) => ({ queryKey: childrenKey(parentId) }),
  /** The tree's search box: by part of a name, or by path prefix (acme/plat). */
  resourceSearch: (q: string) =>
    queryOptions({
      queryKey: ["resources", "search", q],
      queryFn: () => apiFetch<{ nodes: NodeView[] }>(`/resources?${search({ q })}`).then((r) => r.nodes),
    }),
  /** One node with its ancestors and counts. */
  resource: (id: string) =>
    queryOptions({
      queryKey: ["resources", "detail", id],
      queryFn: () => apiFetch<NodeDetailView>(`/resources/${encodeURIComponent(id)}`),
    }),
  /** Who holds what on a node: the first `limit` direct and inherited grants, nearest first, and their total. */
  resourceAccess: (id: string, limit: number) =>
    queryOptions({
      queryKey: ["resources", "access", id, limit],
      queryFn: () => apiFetch<NodeAccess>(`/resources/${encodeURIComponent(id)}/access?limit=${limit}`),
    }),
  /** The dry run of deleting a node: its subtree and their grants (up to `limit` of each), counts and digest. Never
   * served from cache: the digest must describe the tree as it is when the dialog opens. */
  resourceDeletePreview: (id: string, limit: number) =>
    queryOptions({
      queryKey: ["resources", "delete-preview", id, limit],
      queryFn: () => apiFetch<DeletePreview>(`/resources/${encodeURIComponent(id)}/delete-preview?limit=${limit}`),
      staleTime: 0,
      gcTime: 0,
    }),
  nodeTypes: () =>
    queryOptions({
      queryKey: ["node-types"],
      queryFn: () => apiFetch<{ nodeTypes: NodeTypeView[] }>("/node-types").then((r) => r.nodeTypes),
      staleTime: 60_000,
    }),
  /** The tool catalog and the roles: a change to a tool moves it between built-in roles, so invalidate both. */
  catalogAll: () => ({ queryKey: ["catalog"] as const }),
  tools: () =>
    queryOptions({
      queryKey: ["catalog", "tools"],
      queryFn: () => apiFetch<{ tools: ToolView[] }>("/tools").then((r) => r.tools),
    }),
  roles: () =>
    queryOptions({
      queryKey: ["catalog", "roles"],
      queryFn: () => apiFetch<{ roles: RoleView[] }>("/roles").then((r) => r.roles),
    }),
};
