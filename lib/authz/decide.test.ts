import { describe, expect, it } from "vitest";
import { decide } from "./decide";
import {
  type AuthzSnapshot,
  type Decision,
  type DecisionRequest,
  type PrincipalRef,
  principalKey,
  type ReasonCode,
  type Risk,
  type SnapshotGrant,
  type SnapshotNode,
} from "./types";

// The check engine as a table: one small tree, a few principals and tools; each row brings its own grants and asks
// one question.
//
//   acme ─┬─ platform ─┬─ api ─┬─ branch:main
//         │            │       └─ branch:feature-x
//         │            └─ web
//         └─ prod ── db
//   globex ── ops                 (another organization: an unrelated tree)

const TREE: [key: string, parent: string | null, type: string, name: string][] = [
  ["acme", null, "organization", "acme"],
  ["platform", "acme", "workspace", "platform"],
  ["api", "platform", "repository", "api"],
  ["main", "api", "branch", "branch:main"],
  ["featx", "api", "branch", "branch:feature-x"],
  ["web", "platform", "repository", "web"],
  ["prod", "acme", "environment", "prod"],
  ["db", "prod", "database", "db"],
  ["globex", null, "organization", "globex"],
  ["ops", "globex", "workspace", "ops"],
];
type NodeKey = (typeof TREE)[number][0];
const id = (key: NodeKey) => `res_${key}`;

const TOOLS: [string, Risk][] = [
  ["repo.read", "read"],
  ["secrets.read", "read"],
  ["github.push", "write"],
  ["payments.refund", "write"],
  ["deploy.run", "write"],
  ["db.drop", "irreversible"],
];
const ROLES: Record<string, string[]> = {
  Viewer: ["repo.read", "secrets.read"],
  Editor: ["repo.read", "github.push"],
  Deployer: ["deploy.run", "db.drop"],
};

const BOT: PrincipalRef = { type: "agent", id: "agt_bot" };
const HELPER: PrincipalRef = { type: "agent", id: "agt_helper" };
const DEV: PrincipalRef = { type: "user", id: "usr_dev" };
const ALICE: PrincipalRef = { type: "user", id: "usr_alice" };
const LABELS = new Map([
  [principalKey(BOT), "deploy-bot"],
  [principalKey(HELPER), "helper-bot"],
  [principalKey(DEV), "dev@acme.test"],
  [principalKey(ALICE), "alice@acme.test"],
]);

/** Tuesday 3 March 2026, 15:00:00 UTC (10:00 in New York, EST: daylight saving starts on 8 March) */
const NOW = Date.UTC(2026, 2, 3, 15, 0, 0);
const SECOND = 1000;
const at = (iso: string) => Date.parse(iso);

/** a grant of a role (when `what` names one) or of a single tool */
function grant(
  grantId: string,
  who: PrincipalRef,
  on: NodeKey,
  what: string,
  extra: Partial<Omit<SnapshotGrant, "id" | "principal" | "nodeId" | "via" | "tools">> = {},
): SnapshotGrant {
  const role = ROLES[what];
  return {
    id: grantId,
    principal: who,
    nodeId: id(on),
    via: role ? `role ${what}` : `tool ${what}`,
    tools: new Set(role ?? [what]),
    constraints: {},
    notBefore: null,
    expiresAt: null,
    schedule: null,
    requiresApproval: false,
    ...extra,
  };
}

function snapshot(grants: SnapshotGrant[]): AuthzSnapshot {
  const nodes = new Map<string, SnapshotNode>(
    TREE.map(([key, parent, type, name]) => [id(key), { id: id(key), parentId: parent && id(parent), type, name }]),
  );
  const tools = new Map(TOOLS.map(([name, risk]) => [name, { id: `tool_${name}`, name, risk }]));
  const grantsByPrincipal = new Map<string, SnapshotGrant[]>();
  for (const g of grants) {
    const key = principalKey(g.principal);
    grantsByPrincipal.set(key, [...(grantsByPrincipal.get(key) ?? []), g]);
  }
  return { nodes, tools, grantsByPrincipal, labels: LABELS };
}

/** the node's id and its ancestors' ids, read from TREE directly */
function selfAndAncestors(nodeId: string): string[] {
  const row = TREE.find(([key]) => id(key) === nodeId);
  if (!row) return [];
  return [nodeId, ...(row[1] ? selfAndAncestors(id(row[1])) : [])];
}

type Ask = {
  tool: string;
  on: NodeKey | string;
  as?: PrincipalRef[];
  params?: Record<string, unknown>;
  audience?: PrincipalRef[];
};
const request = (ask: Ask): DecisionRequest => ({
  tool: ask.tool,
  nodeId: TREE.some(([k]) => k === ask.on) ? id(ask.on as NodeKey) : ask.on,
  params: ask.params ?? {},
  principals: ask.as ?? [BOT],
  ...(ask.audience ? { audience: ask.audience } : {}),
});

type Row = {
  name: string;
  grants: SnapshotGrant[];
  ask: Ask;
  now?: number;
  decision: Decision["decision"];
  codes: ReasonCode[];
  /** exact messages, in order, when the row pins them */
  messages?: string[];
  /** the grant ids chosen per principal, in principal order */
  chosen?: string[];
};

const feature = { branch: { glob: "feature-*" } };
const tueUtc = { days: [2], start: "14:00", end: "16:00", timeZone: "UTC" };

const rows: Row[] = [
  // --- inheritance: down, never sideways, never up
  {
    name: "grant on the node itself",
    grants: [grant("g1", BOT, "api", "Editor")],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
    messages: ["agent deploy-bot may use github.push on acme/platform/api via role Editor granted on acme/platform/api"],
    chosen: ["g1"],
  },
  {
    name: "grant on the parent reaches the child",
    grants: [grant("g1", BOT, "api", "Editor")],
    ask: { tool: "github.push", on: "main" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "grant on the root reaches three levels down",
    grants: [grant("g1", BOT, "acme", "Editor")],
    ask: { tool: "github.push", on: "main" },
    decision: "allow",
    codes: ["granted"],
    messages: ["agent deploy-bot may use github.push on acme/platform/api/branch:main via role Editor granted on acme"],
  },
  {
    name: "never sideways: a grant on one branch does not reach its sibling",
    grants: [grant("g1", BOT, "featx", "Editor")],
    ask: { tool: "github.push", on: "main" },
    decision: "deny",
    codes: ["no_grant"],
    messages: ["agent deploy-bot has no grant for github.push on acme/platform/api/branch:main"],
  },
  {
    name: "never upwards: a grant on a branch does not reach its repository",
    grants: [grant("g1", BOT, "main", "Editor")],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "never upwards: a grant on a repository does not reach the organization",
    grants: [grant("g1", BOT, "api", "Editor")],
    ask: { tool: "repo.read", on: "acme" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "never sideways across subtrees: platform does not reach prod/db",
    grants: [grant("g1", BOT, "platform", "Viewer")],
    ask: { tool: "secrets.read", on: "db" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "never to a cousin: web does not reach api's branch",
    grants: [grant("g1", BOT, "web", "Editor")],
    ask: { tool: "github.push", on: "main" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "an unrelated tree grants nothing here",
    grants: [grant("g1", BOT, "globex", "Viewer")],
    ask: { tool: "secrets.read", on: "prod" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "another principal's grant is not mine",
    grants: [grant("g1", DEV, "acme", "Editor")],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "a principal with no grants at all",
    grants: [],
    ask: { tool: "repo.read", on: "api", as: [HELPER] },
    decision: "deny",
    codes: ["no_grant"],
    messages: ["agent helper-bot has no grant for repo.read on acme/platform/api"],
  },

  // --- roles and single tools
  {
    name: "a single-tool grant",
    grants: [grant("g1", BOT, "api", "github.push")],
    ask: { tool: "github.push", on: "featx" },
    decision: "allow",
    codes: ["granted"],
    messages: ["agent deploy-bot may use github.push on acme/platform/api/branch:feature-x via tool github.push granted on acme/platform/api"],
  },
  {
    name: "a tool the role does not contain",
    grants: [grant("g1", BOT, "acme", "Viewer")],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "a single-tool grant of another tool",
    grants: [grant("g1", BOT, "api", "repo.read")],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "every tool of the role is granted",
    grants: [grant("g1", BOT, "platform", "Editor")],
    ask: { tool: "repo.read", on: "web" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "the nearest of two applicable grants is the one reported",
    grants: [grant("g-root", BOT, "acme", "Editor"), grant("g-api", BOT, "api", "Editor")],
    ask: { tool: "github.push", on: "main" },
    decision: "allow",
    codes: ["granted"],
    chosen: ["g-api"],
  },

  // --- validity windows, to the millisecond
  {
    name: "notBefore exactly now applies (inclusive)",
    grants: [grant("g1", BOT, "api", "Editor", { notBefore: NOW })],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "notBefore one millisecond from now does not apply yet",
    grants: [grant("g1", BOT, "api", "Editor", { notBefore: NOW + 1 })],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["not_yet_valid"],
    messages: [
      "agent deploy-bot has a grant for github.push on acme/platform/api (role Editor granted on acme/platform/api) that is not valid before 2026-03-03T15:00:00.001Z",
    ],
  },
  {
    name: "expiresAt exactly now no longer applies (exclusive)",
    grants: [grant("g1", BOT, "platform", "Editor", { expiresAt: NOW })],
    ask: { tool: "github.push", on: "main" },
    decision: "deny",
    codes: ["expired"],
    messages: [
      "agent deploy-bot has a grant for github.push on acme/platform/api/branch:main (role Editor granted on acme/platform) that expired at 2026-03-03T15:00:00.000Z",
    ],
  },
  {
    name: "one millisecond before expiry still applies",
    grants: [grant("g1", BOT, "api", "Editor", { expiresAt: NOW + 1 })],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "inside a one-second window",
    grants: [grant("g1", BOT, "api", "Editor", { notBefore: NOW - SECOND, expiresAt: NOW + SECOND })],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "expired a second ago",
    grants: [grant("g1", BOT, "api", "Editor", { notBefore: NOW - 60 * SECOND, expiresAt: NOW - SECOND })],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["expired"],
  },
  {
    name: "an expired grant beside a valid one: the valid one applies",
    grants: [grant("g-old", BOT, "api", "Editor", { expiresAt: NOW - SECOND }), grant("g-new", BOT, "acme", "Editor")],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
    chosen: ["g-new"],
  },

  // --- recurring schedules
  {
    name: "schedule: Tuesday 14:00-16:00 UTC at Tuesday 15:00",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: tueUtc })],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule: start is inclusive (14:00:00.000)",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: tueUtc })],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-03T14:00:00.000Z"),
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule: end is exclusive (16:00:00.000)",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: tueUtc })],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-03T16:00:00.000Z"),
    decision: "deny",
    codes: ["outside_schedule"],
    messages: [
      "agent deploy-bot has a grant for github.push on acme/platform/api (role Editor granted on acme/platform/api) that applies only Tue 14:00-16:00 UTC",
    ],
  },
  {
    name: "schedule: one millisecond before the end is inside",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: tueUtc })],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-03T15:59:59.999Z"),
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule: the right hours on the wrong day",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: { ...tueUtc, days: [1, 3] } })],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["outside_schedule"],
  },
  {
    name: "schedule in New York: 10:00-11:00 local is 15:00 UTC in winter",
    grants: [
      grant("g1", BOT, "api", "Editor", {
        schedule: { days: [2], start: "10:00", end: "11:00", timeZone: "America/New_York" },
      }),
    ],
    ask: { tool: "github.push", on: "api" },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule in New York: 16:00 UTC is 11:00 local, past the end",
    grants: [
      grant("g1", BOT, "api", "Editor", {
        schedule: { days: [2], start: "10:00", end: "11:00", timeZone: "America/New_York" },
      }),
    ],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-03T16:00:00Z"),
    decision: "deny",
    codes: ["outside_schedule"],
  },
  {
    name: "schedule in New York: in summer (EDT) the same window is 14:00 UTC",
    grants: [
      grant("g1", BOT, "api", "Editor", {
        schedule: { days: [2], start: "10:00", end: "11:00", timeZone: "America/New_York" },
      }),
    ],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-07-07T14:30:00Z"),
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule in New York: the local weekday counts (Wednesday 03:00 UTC is Tuesday 22:00 there)",
    grants: [
      grant("g1", BOT, "api", "Editor", {
        schedule: { days: [2], start: "21:00", end: "23:00", timeZone: "America/New_York" },
      }),
    ],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-04T03:00:00Z"),
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "schedule ending 24:00 includes 23:59:59",
    grants: [grant("g1", BOT, "api", "Editor", { schedule: { days: [2], start: "23:00", end: "24:00", timeZone: "UTC" } })],
    ask: { tool: "github.push", on: "api" },
    now: at("2026-03-03T23:59:59.999Z"),
    decision: "allow",
    codes: ["granted"],
  },

  // --- parameter constraints
  {
    name: "glob: feature-* matches feature-login",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: feature })],
    ask: { tool: "github.push", on: "api", params: { branch: "feature-login" } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "glob: feature-* does not match main",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: feature })],
    ask: { tool: "github.push", on: "api", params: { branch: "main" } },
    decision: "deny",
    codes: ["constraint_failed"],
    messages: [
      'agent deploy-bot has a grant for github.push on acme/platform/api (role Editor granted on acme/platform/api) whose constraint failed: branch "main" does not match "feature-*"',
    ],
  },
  {
    name: "a constrained parameter that is absent fails",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: feature })],
    ask: { tool: "github.push", on: "api", params: { ref: "feature-login" } },
    decision: "deny",
    codes: ["constraint_failed"],
    messages: [
      "agent deploy-bot has a grant for github.push on acme/platform/api (role Editor granted on acme/platform/api) whose constraint failed: branch is missing",
    ],
  },
  {
    name: "glob: '.' is literal (feat.x does not match featYx)",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: { branch: { glob: "feat.x" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: "featYx" } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "glob: '?' is one character (feat?x matches feat.x)",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: { branch: { glob: "feat?x" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: "feat.x" } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "glob: '+' is literal (a+b does not match aab)",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: { branch: { glob: "a+b" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: "aab" } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "glob: regex characters match themselves (release/[v1]+*)",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: { branch: { glob: "release/[v1]+*" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: "release/[v1]+hotfix" } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "glob: a number is not a string",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: { branch: { glob: "*" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: 5 } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "equals: the same string",
    grants: [grant("g1", BOT, "prod", "deploy.run", { constraints: { env: { equals: "staging" } } })],
    ask: { tool: "deploy.run", on: "db", params: { env: "staging" } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: 'equals: the string "5" is not the number 5',
    grants: [grant("g1", BOT, "prod", "payments.refund", { constraints: { amount: { equals: 5 } } })],
    ask: { tool: "payments.refund", on: "prod", params: { amount: "5" } },
    decision: "deny",
    codes: ["constraint_failed"],
    messages: [
      'agent deploy-bot has a grant for payments.refund on acme/prod (tool payments.refund granted on acme/prod) whose constraint failed: amount "5" is not 5',
    ],
  },
  {
    name: 'equals: the number 5 is not the string "5"',
    grants: [grant("g1", BOT, "prod", "payments.refund", { constraints: { amount: { equals: "5" } } })],
    ask: { tool: "payments.refund", on: "prod", params: { amount: 5 } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "oneOf: a listed value",
    grants: [grant("g1", BOT, "prod", "deploy.run", { constraints: { env: { oneOf: ["dev", "staging"] } } })],
    ask: { tool: "deploy.run", on: "prod", params: { env: "dev" } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "oneOf: a value not listed",
    grants: [grant("g1", BOT, "prod", "deploy.run", { constraints: { env: { oneOf: ["dev", "staging"] } } })],
    ask: { tool: "deploy.run", on: "prod", params: { env: "production" } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "max: exactly the maximum",
    grants: [grant("g1", BOT, "prod", "payments.refund", { constraints: { amount: { max: 100 } } })],
    ask: { tool: "payments.refund", on: "prod", params: { amount: 100 } },
    decision: "allow",
    codes: ["granted"],
  },
  {
    name: "max: a cent over",
    grants: [grant("g1", BOT, "prod", "payments.refund", { constraints: { amount: { max: 100 } } })],
    ask: { tool: "payments.refund", on: "prod", params: { amount: 100.01 } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: 'max: the string "50" is not a number',
    grants: [grant("g1", BOT, "prod", "payments.refund", { constraints: { amount: { max: 100 } } })],
    ask: { tool: "payments.refund", on: "prod", params: { amount: "50" } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "two constraints: both must hold",
    grants: [
      grant("g1", BOT, "prod", "payments.refund", {
        constraints: { currency: { equals: "EUR" }, amount: { max: 100 } },
      }),
    ],
    ask: { tool: "payments.refund", on: "prod", params: { currency: "EUR", amount: 250 } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "a constrained grant that fails, beside an unconstrained one that applies",
    grants: [grant("g1", BOT, "api", "Editor", { constraints: feature }), grant("g2", BOT, "acme", "github.push")],
    ask: { tool: "github.push", on: "api", params: { branch: "main" } },
    decision: "allow",
    codes: ["granted"],
    chosen: ["g2"],
  },

  // --- which failure is reported when every candidate fails
  {
    name: "expired here, constraint failed above: the constraint is the more telling failure",
    grants: [
      grant("g-exp", BOT, "api", "Editor", { expiresAt: NOW - SECOND }),
      grant("g-con", BOT, "acme", "Editor", { constraints: feature }),
    ],
    ask: { tool: "github.push", on: "api", params: { branch: "main" } },
    decision: "deny",
    codes: ["constraint_failed"],
  },
  {
    name: "outside schedule beats not yet valid",
    grants: [
      grant("g-nbf", BOT, "api", "Editor", { notBefore: NOW + SECOND }),
      grant("g-sch", BOT, "acme", "Editor", { schedule: { ...tueUtc, days: [5] } }),
    ],
    ask: { tool: "github.push", on: "api" },
    decision: "deny",
    codes: ["outside_schedule"],
  },
  {
    name: "two time failures: the nearer grant's is reported",
    grants: [
      grant("g-far", BOT, "acme", "Editor", { notBefore: NOW + SECOND }),
      grant("g-near", BOT, "api", "Editor", { expiresAt: NOW - SECOND }),
    ],
    ask: { tool: "github.push", on: "main" },
    decision: "deny",
    codes: ["expired"],
  },

  // --- on-behalf-of and delegation chains: the intersection
  {
    name: "on behalf of: the agent may, the user may not",
    grants: [grant("g-bot", BOT, "prod", "Viewer")],
    ask: { tool: "secrets.read", on: "prod", as: [BOT, DEV] },
    decision: "deny",
    codes: ["no_grant", "granted"],
    messages: [
      "user dev@acme.test has no grant for secrets.read on acme/prod",
      "agent deploy-bot may use secrets.read on acme/prod via role Viewer granted on acme/prod",
    ],
  },
  {
    name: "on behalf of: the user may, the agent may not",
    grants: [grant("g-dev", DEV, "acme", "Viewer")],
    ask: { tool: "secrets.read", on: "prod", as: [BOT, DEV] },
    decision: "deny",
    codes: ["no_grant", "granted"],
    messages: [
      "agent deploy-bot has no grant for secrets.read on acme/prod",
      "user dev@acme.test may use secrets.read on acme/prod via role Viewer granted on acme",
    ],
  },
  {
    name: "on behalf of: both may",
    grants: [grant("g-bot", BOT, "prod", "Viewer"), grant("g-dev", DEV, "acme", "Viewer")],
    ask: { tool: "secrets.read", on: "db", as: [BOT, DEV] },
    decision: "allow",
    codes: ["granted", "granted"],
    chosen: ["g-bot", "g-dev"],
  },
  {
    name: "on behalf of: neither may, one reason each in principal order",
    grants: [],
    ask: { tool: "secrets.read", on: "db", as: [BOT, DEV] },
    decision: "deny",
    codes: ["no_grant", "no_grant"],
  },
  {
    name: "on behalf of: the user's grant is on a sibling",
    grants: [grant("g-bot", BOT, "acme", "Editor"), grant("g-dev", DEV, "featx", "Editor")],
    ask: { tool: "github.push", on: "main", as: [BOT, DEV], params: {} },
    decision: "deny",
    codes: ["no_grant", "granted"],
  },
  {
    name: "chain of three: the middle actor lacks the grant",
    grants: [grant("g-bot", BOT, "acme", "Editor"), grant("g-dev", DEV, "platform", "Editor")],
    ask: { tool: "github.push", on: "api", as: [BOT, HELPER, DEV] },
    decision: "deny",
    codes: ["no_grant", "granted", "granted"],
    messages: [
      "agent helper-bot has no grant for github.push on acme/platform/api",
      "agent deploy-bot may use github.push on acme/platform/api via role Editor granted on acme",
      "user dev@acme.test may use github.push on acme/platform/api via role Editor granted on acme/platform",
    ],
  },
  {
    name: "chain of three: every actor holds it",
    grants: [
      grant("g-bot", BOT, "acme", "Editor"),
      grant("g-helper", HELPER, "api", "github.push"),
      grant("g-dev", DEV, "platform", "Editor"),
    ],
    ask: { tool: "github.push", on: "main", as: [BOT, HELPER, DEV] },
    decision: "allow",
    codes: ["granted", "granted", "granted"],
    chosen: ["g-bot", "g-helper", "g-dev"],
  },
  {
    name: "chain of three: the user's grant has expired",
    grants: [
      grant("g-bot", BOT, "acme", "Editor"),
      grant("g-helper", HELPER, "api", "github.push"),
      grant("g-dev", DEV, "platform", "Editor", { expiresAt: NOW }),
    ],
    ask: { tool: "github.push", on: "main", as: [BOT, HELPER, DEV] },
    decision: "deny",
    codes: ["expired", "granted", "granted"],
  },
  {
    name: "a principal named twice is asked about once",
    grants: [grant("g-bot", BOT, "acme", "Editor")],
    ask: { tool: "github.push", on: "api", as: [BOT, BOT] },
    decision: "allow",
    codes: ["granted"],
    chosen: ["g-bot"],
  },

  // --- audience: everyone who will see the output must be allowed too
  {
    name: "audience: a member who may not read it denies",
    grants: [grant("g-bot", BOT, "prod", "Viewer"), grant("g-dev", DEV, "prod", "Viewer")],
    ask: { tool: "secrets.read", on: "prod", as: [BOT, DEV], audience: [ALICE] },
    decision: "deny",
    codes: ["no_grant", "granted", "granted"],
    messages: [
      "user alice@acme.test has no grant for secrets.read on acme/prod, nor any to read it",
      "agent deploy-bot may use secrets.read on acme/prod via role Viewer granted on acme/prod",
      "user dev@acme.test may use secrets.read on acme/prod via role Viewer granted on acme/prod",
    ],
  },
  {
    name: "audience: every member may",
    grants: [grant("g-bot", BOT, "prod", "Viewer"), grant("g-alice", ALICE, "acme", "Viewer")],
    ask: { tool: "secrets.read", on: "db", audience: [ALICE] },
    decision: "allow",
    codes: ["granted", "granted"],
    chosen: ["g-bot"],
  },
  {
    name: "audience: a member's grant that needs approval still counts (approval is for the caller)",
    grants: [grant("g-bot", BOT, "prod", "Viewer"), grant("g-alice", ALICE, "acme", "Viewer", { requiresApproval: true })],
    ask: { tool: "secrets.read", on: "db", audience: [ALICE] },
    decision: "allow",
    codes: ["granted", "granted"],
  },
  {
    name: "audience: a member who may read the node sees a write tool's output (they need not hold the tool)",
    grants: [grant("g-bot", BOT, "api", "Editor"), grant("g-alice", ALICE, "acme", "Viewer")],
    ask: { tool: "github.push", on: "main", audience: [ALICE] },
    decision: "allow",
    codes: ["granted", "granted"],
    messages: [
      "agent deploy-bot may use github.push on acme/platform/api/branch:main via role Editor granted on acme/platform/api",
      "user alice@acme.test may read acme/platform/api/branch:main via role Viewer granted on acme",
    ],
  },
  {
    name: "audience: a grant of write tools only does not read",
    grants: [grant("g-bot", BOT, "api", "Editor"), grant("g-alice", ALICE, "acme", "deploy.run")],
    ask: { tool: "github.push", on: "api", audience: [ALICE] },
    decision: "deny",
    codes: ["no_grant", "granted"],
    messages: [
      "user alice@acme.test has no grant for github.push on acme/platform/api, nor any to read it",
      "agent deploy-bot may use github.push on acme/platform/api via role Editor granted on acme/platform/api",
    ],
  },
  {
    name: "audience: a constrained read grant reads only some calls, not the node",
    grants: [grant("g-bot", BOT, "api", "Editor"), grant("g-alice", ALICE, "api", "repo.read", { constraints: { branch: { equals: "main" } } })],
    ask: { tool: "github.push", on: "api", audience: [ALICE] },
    decision: "deny",
    codes: ["constraint_failed", "granted"],
    messages: [
      "user alice@acme.test has a grant to read acme/platform/api (tool repo.read granted on acme/platform/api) limited by parameter constraints, so it does not read the whole node",
      "agent deploy-bot may use github.push on acme/platform/api via role Editor granted on acme/platform/api",
    ],
  },
  {
    name: "audience: an expired read grant does not read",
    grants: [grant("g-bot", BOT, "api", "Editor"), grant("g-alice", ALICE, "acme", "Viewer", { expiresAt: NOW })],
    ask: { tool: "github.push", on: "api", audience: [ALICE] },
    decision: "deny",
    codes: ["expired", "granted"],
    messages: [
      "user alice@acme.test has a grant to read acme/platform/api (role Viewer granted on acme) that expired at 2026-03-03T15:00:00.000Z",
      "agent deploy-bot may use github.push on acme/platform/api via role Editor granted on acme/platform/api",
    ],
  },
  {
    name: "audience: with neither a read grant nor a usable tool grant, the tool grant's failure is the reason",
    grants: [grant("g-bot", BOT, "api", "Editor"), grant("g-alice", ALICE, "api", "github.push", { constraints: { branch: { equals: "main" } } })],
    ask: { tool: "github.push", on: "api", params: { branch: "dev" }, audience: [ALICE] },
    decision: "deny",
    codes: ["constraint_failed", "granted"],
  },

  // --- approval
  {
    name: "an irreversible tool needs approval",
    grants: [grant("g1", BOT, "prod", "Deployer")],
    ask: { tool: "db.drop", on: "db" },
    decision: "approval_required",
    codes: ["approval_required", "granted"],
    messages: [
      "db.drop is irreversible: a person must approve each call",
      "agent deploy-bot may use db.drop on acme/prod/db via role Deployer granted on acme/prod",
    ],
    chosen: ["g1"],
  },
  {
    name: "an irreversible tool the agent lacks is a deny, not an approval",
    grants: [grant("g1", BOT, "platform", "Deployer")],
    ask: { tool: "db.drop", on: "db" },
    decision: "deny",
    codes: ["no_grant"],
  },
  {
    name: "a grant that requires approval",
    grants: [grant("g1", BOT, "prod", "deploy.run", { requiresApproval: true })],
    ask: { tool: "deploy.run", on: "prod" },
    decision: "approval_required",
    codes: ["approval_required", "granted"],
    messages: [
      "agent deploy-bot's grant (tool deploy.run granted on acme/prod) requires a person's approval for each call",
      "agent deploy-bot may use deploy.run on acme/prod via tool deploy.run granted on acme/prod",
    ],
  },
  {
    name: "a second applicable grant without approval is preferred, even further up",
    grants: [
      grant("g-near", BOT, "prod", "deploy.run", { requiresApproval: true }),
      grant("g-far", BOT, "acme", "Deployer"),
    ],
    ask: { tool: "deploy.run", on: "db" },
    decision: "allow",
    codes: ["granted"],
    chosen: ["g-far"],
  },
  {
    name: "the user's grant requires approval: the whole call does",
    grants: [grant("g-bot", BOT, "prod", "deploy.run"), grant("g-dev", DEV, "prod", "deploy.run", { requiresApproval: true })],
    ask: { tool: "deploy.run", on: "prod", as: [BOT, DEV] },
    decision: "approval_required",
    codes: ["approval_required", "granted", "granted"],
    chosen: ["g-bot", "g-dev"],
  },

  // --- malformed requests
  {
    name: "unknown tool",
    grants: [grant("g1", BOT, "acme", "Editor")],
    ask: { tool: "github.force-push", on: "api" },
    decision: "deny",
    codes: ["unknown_tool"],
    messages: ['unknown tool "github.force-push"'],
  },
  {
    name: "unknown node",
    grants: [grant("g1", BOT, "acme", "Editor")],
    ask: { tool: "github.push", on: "res_nope" },
    decision: "deny",
    codes: ["unknown_node"],
  },
  {
    name: "no principals",
    grants: [grant("g1", BOT, "acme", "Editor")],
    ask: { tool: "github.push", on: "api", as: [] },
    decision: "deny",
    codes: ["no_principals"],
  },
];

describe("decide: the table", () => {
  it("has at least 45 rows, each with a unique name", () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((r) => [r.name, r] as const))("%s", (_, row) => {
    const result = decide(snapshot(row.grants), request(row.ask), new Date(row.now ?? NOW));
    expect(result.decision).toBe(row.decision);
    expect(result.reasons.map((r) => r.code)).toEqual(row.codes);
    if (row.messages) expect(result.reasons.map((r) => r.message)).toEqual(row.messages);
    if (row.chosen) expect(result.grants.map((g) => g.grantId)).toEqual(row.chosen);
    // grants are reported exactly when the call may go ahead (now or after approval)
    if (row.decision === "deny") expect(result.grants).toEqual([]);
    else expect(result.grants).toHaveLength(new Set((row.ask.as ?? [BOT]).map(principalKey)).size);
    // every grant a reason names sits on the request node or one of its ancestors
    const above = selfAndAncestors(request(row.ask).nodeId);
    for (const reason of result.reasons) if (reason.grantNodeId) expect(above).toContain(reason.grantNodeId);
    for (const g of result.grants) expect(above).toContain(g.nodeId);
  });
});

describe("decide: reasons", () => {
  it("name the principal, its role in the request, the grant and the node it sits on", () => {
    const result = decide(
      snapshot([grant("g-bot", BOT, "platform", "Editor"), grant("g-alice", ALICE, "acme", "Viewer")]),
      request({ tool: "repo.read", on: "main", audience: [ALICE] }),
      new Date(NOW),
    );
    expect(result).toEqual({
      decision: "allow",
      reasons: [
        {
          principal: { ...BOT, label: "deploy-bot" },
          role: "principal",
          code: "granted",
          message: "agent deploy-bot may use repo.read on acme/platform/api/branch:main via role Editor granted on acme/platform",
          grantId: "g-bot",
          grantNodeId: id("platform"),
        },
        {
          principal: { ...ALICE, label: "alice@acme.test" },
          role: "audience",
          code: "granted",
          message: "user alice@acme.test may use repo.read on acme/platform/api/branch:main via role Viewer granted on acme",
          grantId: "g-alice",
          grantNodeId: id("acme"),
        },
      ],
      grants: [{ principal: BOT, grantId: "g-bot", nodeId: id("platform") }],
    });
  });

  it("fall back to the principal's id when it has no label", () => {
    const stranger: PrincipalRef = { type: "agent", id: "agt_stranger" };
    const result = decide(snapshot([]), request({ tool: "repo.read", on: "api", as: [stranger] }), new Date(NOW));
    expect(result.reasons[0].message).toBe("agent agt_stranger has no grant for repo.read on acme/platform/api");
  });

  it("refuses an invalid now instead of letting every window pass", () => {
    expect(() => decide(snapshot([]), request({ tool: "repo.read", on: "api" }), new Date(Number.NaN))).toThrow(TypeError);
  });
});

describe("decide: determinism", () => {
  const grants = [
    grant("g-a", BOT, "acme", "Editor", { requiresApproval: true }),
    grant("g-b", BOT, "platform", "Editor", { constraints: feature }),
    grant("g-c", BOT, "api", "Editor", { expiresAt: NOW - 1 }),
    grant("g-d", BOT, "platform", "github.push"),
    grant("g-e", BOT, "platform", "Editor"),
    grant("g-f", DEV, "api", "Editor", { schedule: tueUtc }),
    grant("g-g", DEV, "acme", "Editor"),
  ];
  const asks: Ask[] = [
    { tool: "github.push", on: "main", as: [BOT, DEV], params: { branch: "feature-1" } },
    { tool: "github.push", on: "main", as: [DEV, BOT], params: { branch: "main" }, audience: [ALICE] },
    { tool: "repo.read", on: "web", as: [BOT, HELPER, DEV] },
  ];

  it.each(asks.map((a, i) => [i, a] as const))("request %i: the same answer every time and whatever the grant order", (_, ask) => {
    const first = decide(snapshot(grants), request(ask), new Date(NOW));
    expect(decide(snapshot(grants), request(ask), new Date(NOW))).toEqual(first);
    expect(decide(snapshot([...grants].reverse()), request(ask), new Date(NOW))).toEqual(first);
    const rotated = [...grants.slice(3), ...grants.slice(0, 3)];
    expect(decide(snapshot(rotated), request(ask), new Date(NOW))).toEqual(first);
  });

  it("ties between equally near grants go to the smaller id", () => {
    const result = decide(
      snapshot([grant("g-2", BOT, "api", "Editor"), grant("g-1", BOT, "api", "github.push")]),
      request({ tool: "github.push", on: "api" }),
      new Date(NOW),
    );
    expect(result.grants.map((g) => g.grantId)).toEqual(["g-1"]);
  });
});
