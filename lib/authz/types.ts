// The authorization core's vocabulary. The core (decide.ts) is a pure function of a loaded snapshot, a request and
// `now`: it never queries. Loaders build snapshots from the database; tests build them by hand.

export type PrincipalType = "agent" | "user";
export type PrincipalRef = { type: PrincipalType; id: string };
export const principalKey = (p: PrincipalRef) => `${p.type}:${p.id}`;

export type Risk = "read" | "write" | "irreversible";

/** One parameter's constraint. A grant's constraints all hold, or the grant does not apply. */
export type ParamConstraint =
  | { equals: string | number | boolean }
  | { oneOf: (string | number | boolean)[] }
  /** `*` any run of characters, `?` one character; the whole value must match */
  | { glob: string }
  /** a number at most this */
  | { max: number };

/** A weekly window in a time zone: `days` 0 (Sunday) to 6, `start`/`end` "HH:MM", end exclusive, start < end. */
export type Schedule = { days: number[]; start: string; end: string; timeZone: string };

export type SnapshotNode = { id: string; parentId: string | null; type: string; name: string };

export type SnapshotTool = { id: string; name: string; risk: Risk };

export type SnapshotGrant = {
  id: string;
  principal: PrincipalRef;
  nodeId: string;
  /** "role Editor" or "tool github.push": how reasons name what was granted */
  via: string;
  /** the tool names this grant covers (a role's tools, or the single tool) */
  tools: ReadonlySet<string>;
  constraints: Record<string, ParamConstraint>;
  /** epoch milliseconds, inclusive */
  notBefore: number | null;
  /** epoch milliseconds, exclusive: at expiresAt the grant no longer applies */
  expiresAt: number | null;
  schedule: Schedule | null;
  requiresApproval: boolean;
};

export type AuthzSnapshot = {
  nodes: ReadonlyMap<string, SnapshotNode>;
  /** by tool name */
  tools: ReadonlyMap<string, SnapshotTool>;
  /** the grants that are not revoked, by principalKey */
  grantsByPrincipal: ReadonlyMap<string, readonly SnapshotGrant[]>;
  /** human names for reasons (user email, agent name), by principalKey */
  labels: ReadonlyMap<string, string>;
};

export type DecisionRequest = {
  tool: string;
  nodeId: string;
  params: Record<string, unknown>;
  /** every principal the call acts for: the agent, the user it acts for, every actor of a delegation chain */
  principals: PrincipalRef[];
  /**
   * users who will see the output: each must be allowed to read the node (authorization at output time): the tool
   * itself, or an unconstrained grant of any read tool
   */
  audience?: PrincipalRef[];
};

export type ReasonCode =
  | "granted"
  /** checks of the token, before the core runs (lib/authz/make-decision.ts) */
  | "token_inactive"
  /** the token holds, or names in its delegation chain, an agent cut off with the kill switch */
  | "agent_killed"
  | "token_audience"
  | "not_in_scope"
  /** the node or tool is outside the token's own delegation (its deputy_resource authorization_details) */
  | "outside_delegation"
  | "unknown_audience_user"
  | "unknown_tool"
  | "unknown_node"
  | "no_principals"
  | "no_grant"
  | "not_yet_valid"
  | "expired"
  | "outside_schedule"
  | "constraint_failed"
  | "approval_required"
  /** a person approved this exact call; the approval is used by this decision (lib/approvals/approval-for-decision.ts) */
  | "approved";

export type Reason = {
  /** whose permission this reason is about (absent for reasons about the request itself) */
  principal?: PrincipalRef & { label: string };
  /** "principal" or "audience": which list the principal came from */
  role?: "principal" | "audience";
  code: ReasonCode;
  /** one sentence a person can read: "user dev@acme.test has no grant for secrets.read on acme/prod" */
  message: string;
  grantId?: string;
  /** the node the grant is on (the request's node or one of its ancestors) */
  grantNodeId?: string;
};

export type Decision = {
  decision: "allow" | "deny" | "approval_required";
  reasons: Reason[];
  /** the grant used for each principal, when allowed (or approval_required) */
  grants: { principal: PrincipalRef; grantId: string; nodeId: string }[];
};
