// The implementation checklist of the agent-auth guide, evaluated against facts loaded from the live database
// (load-posture-facts.ts). Pure: facts in, items out, so every item's pass / fail / unknown is testable as a table.
// An item says "unknown" when the data cannot show the property either way, and says why: a posture page that
// claims more than it can see is worse than none.
import { decide } from "@/lib/authz/decide";
import type { AuthzSnapshot } from "@/lib/authz/types";

export const POSTURE_LIMITS = {
  /** the guide: access tokens live at most an hour */
  maxTokenTtlSeconds: 3_600,
  /** the guide: client secrets are rotated at least every 90 days */
  secretRotationDays: 90,
  /** a kill-switch drill at least this often ... */
  drillEveryDays: 30,
  /** ... with the switch effective within this */
  drillMaxMs: 1_000,
  /** decisions are looked for this far back */
  decisionWindowDays: 7,
} as const;

type AgentRef = { id: string; name: string };

export type PostureFacts = {
  now: Date;
  agents: {
    active: number;
    /** active agents with no active client secret and no active public key (a sample), and how many */
    withoutCredentials: AgentRef[];
    withoutCredentialsCount: number;
    /** one public key (same RFC 7638 thumbprint) registered on several agents */
    sharedKeys: { thumbprint: string; agents: AgentRef[] }[];
  };
  tokens: {
    /** longest token lifetime of an agent that is not killed */
    maxTtl: { seconds: number; agent: AgentRef } | null;
    overLimit: (AgentRef & { seconds: number })[];
    overLimitCount: number;
  };
  secrets: {
    /** active (not revoked, not rotated, not expired) secrets of agents that are not killed */
    active: number;
    oldest: { createdAt: Date; agent: AgentRef } | null;
    /** active secrets older than the rotation policy (a sample of their agents), and how many */
    stale: (AgentRef & { createdAt: Date })[];
    staleCount: number;
  };
  /** the newest finished drill */
  lastDrill: { id: string; status: string; timeToEffectMs: number | null; finishedAt: Date } | null;
  irreversibleTools: { id: string; name: string; approvalPolicy: string; approvalQuorum: number; approvalTtlSeconds: number }[];
  decisions: { count: number; latestAt: Date | null };
  delegation: {
    tokenExchange: boolean;
    rules: number;
    /** token exchanges in the decision window, and the newest of them compared with the token each came from */
    exchanges: number;
    checked: number;
    /** exchanges whose parent token's issuance was not found in the audit trail (older than the window, or missing) */
    unmatched: number;
    widened: { eventId: string; extra: string[] }[];
  };
};

export type PostureStatus = "pass" | "fail" | "unknown";

export type PostureItem = {
  id: string;
  /** the checklist line it checks, as the guide says it */
  checklist: string;
  title: string;
  status: PostureStatus;
  /** what the verdict rests on, one fact per line */
  evidence: string[];
  fix: { label: string; href: string } | null;
};

export type PostureReport = { evaluatedAt: string; items: PostureItem[]; summary: Record<PostureStatus, number> };

const DAY = 86_400_000;
const names = (agents: AgentRef[], total: number) => `${agents.map((a) => a.name).join(", ")}${total > agents.length ? ` and ${total - agents.length} more` : ""}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const ago = (from: Date, now: Date) => {
  const days = Math.floor((now.getTime() - from.getTime()) / DAY);
  return days === 0 ? "today" : `${plural(days, "day")} ago`;
};
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function ownCredentials(f: PostureFacts): PostureItem {
  const base = {
    id: "own_credentials",
    checklist: "Each agent has its own client ID and credentials, not shared with other agents or users.",
    title: "Each agent has its own credentials",
  };
  const evidence = [
    "Client secrets are stored by a unique keyed hash, so one secret cannot belong to two agents; agents are never users.",
  ];
  // every failing fact is evidence, so fixing one does not reveal the next only then
  const failures: string[] = [];
  let fix: PostureItem["fix"] = null;
  if (f.agents.sharedKeys.length > 0) {
    const k = f.agents.sharedKeys[0]!;
    failures.push(...f.agents.sharedKeys.map((s) => `Public key ${s.thumbprint.slice(0, 12)}… is registered on ${s.agents.length} agents: ${names(s.agents, s.agents.length)}`));
    fix = { label: `Revoke the shared key on ${k.agents[0]!.name}`, href: `/agents/${k.agents[0]!.id}` };
  }
  if (f.agents.withoutCredentialsCount > 0) {
    const first = f.agents.withoutCredentials[0]!;
    failures.push(`${f.agents.withoutCredentialsCount} of ${f.agents.active} active agents have no credential of their own: ${names(f.agents.withoutCredentials, f.agents.withoutCredentialsCount)}`);
    fix ??= { label: `Give ${first.name} a secret or key, or suspend it`, href: `/agents/${first.id}` };
  }
  if (failures.length > 0) return { ...base, status: "fail", evidence: [...evidence, ...failures], fix };
  if (f.agents.active === 0) {
    return { ...base, status: "unknown", evidence: [...evidence, "There are no active agents to check."], fix: { label: "Register an agent", href: "/agents" } };
  }
  return { ...base, status: "pass", evidence: [...evidence, `${f.agents.active === 1 ? "The one active agent has" : `All ${f.agents.active} active agents have`} a credential of their own; no public key is registered on two agents.`], fix: null };
}

function tokenLifetimes(f: PostureFacts): PostureItem {
  const base = { id: "token_lifetime", checklist: "Tokens are short-lived (≤1 hour for access tokens).", title: "Access tokens live at most 1 hour" };
  if (f.tokens.overLimitCount > 0) {
    const first = f.tokens.overLimit[0]!;
    return {
      ...base,
      status: "fail",
      evidence: [`${f.tokens.overLimitCount} agents get tokens living longer than ${POSTURE_LIMITS.maxTokenTtlSeconds} s: ${f.tokens.overLimit.map((a) => `${a.name} (${a.seconds} s)`).join(", ")}`],
      fix: { label: `Shorten ${first.name}'s token lifetime`, href: `/agents/${first.id}` },
    };
  }
  const cap = `The token endpoint caps every lifetime at ${POSTURE_LIMITS.maxTokenTtlSeconds} s.`;
  return {
    ...base,
    status: "pass",
    evidence: f.tokens.maxTtl ? [`Longest agent token lifetime: ${f.tokens.maxTtl.seconds} s (${f.tokens.maxTtl.agent.name}).`, cap] : ["No agents yet.", cap],
    fix: null,
  };
}

function secretRotation(f: PostureFacts): PostureItem {
  const base = {
    id: "secret_rotation",
    checklist: "Client secrets are rotated on a schedule (≤90 days).",
    title: `Client secrets rotated within ${POSTURE_LIMITS.secretRotationDays} days`,
  };
  if (f.secrets.staleCount > 0) {
    const first = f.secrets.stale[0]!;
    return {
      ...base,
      status: "fail",
      evidence: [
        `${f.secrets.staleCount} of ${f.secrets.active} active client secrets are older than ${POSTURE_LIMITS.secretRotationDays} days: ${f.secrets.stale.map((s) => `${s.name} (created ${ago(s.createdAt, f.now)})`).join(", ")}`,
      ],
      fix: { label: `Rotate ${first.name}'s secret`, href: `/agents/${first.id}` },
    };
  }
  if (f.secrets.active === 0 || !f.secrets.oldest) {
    return {
      ...base,
      status: "unknown",
      evidence: ["No active client secrets: agents authenticate with keys (private_key_jwt) or there are none. Nothing to rotate."],
      fix: null,
    };
  }
  return {
    ...base,
    status: "pass",
    evidence: [
      `${plural(f.secrets.active, "active client secret")}; the oldest was created ${ago(f.secrets.oldest.createdAt, f.now)} (${f.secrets.oldest.agent.name}).`,
      "Rotation is by an admin or a script (CLI agent rotate-secret); Deputy flags agents whose rotation is due.",
    ],
    fix: null,
  };
}

function killDrill(f: PostureFacts): PostureItem {
  const base = {
    id: "kill_drill",
    checklist: "Revocation has been tested: you can kill an agent's access in under 5 minutes.",
    title: `Kill-switch drill within ${POSTURE_LIMITS.drillEveryDays} days, effective under ${POSTURE_LIMITS.drillMaxMs / 1000} s`,
  };
  const fix = { label: "Run a drill", href: "/settings/drills" };
  const d = f.lastDrill;
  if (!d) return { ...base, status: "fail", evidence: ["No kill-switch drill has been run."], fix };
  const when = `The last drill (${d.id}) finished ${ago(d.finishedAt, f.now)}`;
  if (f.now.getTime() - d.finishedAt.getTime() > POSTURE_LIMITS.drillEveryDays * DAY) {
    return { ...base, status: "fail", evidence: [`${when}: more than ${POSTURE_LIMITS.drillEveryDays} days.`], fix };
  }
  if (d.status !== "passed") return { ...base, status: "fail", evidence: [`${when} and ${d.status}.`], fix };
  if (d.timeToEffectMs === null || d.timeToEffectMs >= POSTURE_LIMITS.drillMaxMs) {
    return { ...base, status: "fail", evidence: [`${when}; time to effect ${d.timeToEffectMs ?? "unknown"} ms, not under ${POSTURE_LIMITS.drillMaxMs} ms.`], fix };
  }
  return { ...base, status: "pass", evidence: [`${when} and passed: time to effect ${d.timeToEffectMs} ms.`], fix: null };
}

/** Asks the decision engine itself: an irreversible tool, granted without any condition, must still need approval. */
export function engineRequiresApprovalForIrreversible(now: Date): boolean {
  const grant = {
    id: "grt_probe",
    principal: { type: "agent" as const, id: "agt_probe" },
    nodeId: "res_probe",
    via: "tool probe.irreversible",
    tools: new Set(["probe.irreversible"]),
    constraints: {},
    notBefore: null,
    expiresAt: null,
    schedule: null,
    requiresApproval: false,
  };
  const snapshot: AuthzSnapshot = {
    nodes: new Map([["res_probe", { id: "res_probe", parentId: null, type: "organization", name: "probe" }]]),
    tools: new Map([["probe.irreversible", { id: "tol_probe", name: "probe.irreversible", risk: "irreversible" }]]),
    grantsByPrincipal: new Map([["agent:agt_probe", [grant]]]),
    labels: new Map(),
  };
  const d = decide(snapshot, { tool: "probe.irreversible", nodeId: "res_probe", params: {}, principals: [grant.principal] }, now);
  return d.decision === "approval_required";
}

const POLICIES = ["any", "not_subject", "quorum"];

function irreversibleApproval(f: PostureFacts, engineRequiresApproval: boolean): PostureItem {
  const base = { id: "irreversible_approval", checklist: "Irreversible operations require human confirmation before execution.", title: "Irreversible tools require approval" };
  if (!engineRequiresApproval) {
    return {
      ...base,
      status: "fail",
      evidence: ["The decision engine allowed an irreversible tool without approval in a self-test: this build is broken."],
      fix: null,
    };
  }
  const engine = "Self-test: the decision engine answers approval_required for an irreversible tool granted without conditions; no grant setting removes that.";
  const weak = f.irreversibleTools.filter((t) => !POLICIES.includes(t.approvalPolicy) || t.approvalQuorum < 1 || t.approvalTtlSeconds <= 0);
  if (weak.length > 0) {
    return {
      ...base,
      status: "fail",
      evidence: [engine, `Tools whose approval settings cannot hold: ${weak.map((t) => `${t.name} (policy ${t.approvalPolicy}, quorum ${t.approvalQuorum})`).join(", ")}`],
      fix: { label: `Fix ${weak[0]!.name}'s approval policy`, href: "/tools" },
    };
  }
  return {
    ...base,
    status: "pass",
    evidence: [
      engine,
      f.irreversibleTools.length
        ? `${plural(f.irreversibleTools.length, "irreversible tool")}, each needing a person per call: ${f.irreversibleTools.map((t) => `${t.name} (${t.approvalPolicy}${t.approvalPolicy === "quorum" ? ` of ${t.approvalQuorum}` : ""})`).join(", ")}`
        : "No tool in the catalog is marked irreversible yet: check that the catalog marks every destructive tool so.",
    ],
    fix: f.irreversibleTools.length ? null : { label: "Review tool risk levels", href: "/tools" },
  };
}

function toolCallsAudited(f: PostureFacts): PostureItem {
  const base = {
    id: "tool_calls_audited",
    checklist: "Every tool invocation is logged with agent ID, user context, task context, and authorization result.",
    title: "Every tool call is audited",
  };
  const construction =
    "Every decision's audit event (agent, every principal of the chain, task, result and reasons) commits before the decision is answered; a decision that cannot be recorded is not answered.";
  const blind = "Deputy sees only the tool calls that ask it for a decision: tools that skip the check are invisible here.";
  const fix = { label: "Decision events in the audit log", href: "/audit?action=decision.make" };
  if (f.decisions.count === 0) {
    return { ...base, status: "unknown", evidence: [`No decisions in the last ${POSTURE_LIMITS.decisionWindowDays} days: no tool has asked.`, construction, blind], fix };
  }
  return {
    ...base,
    status: "pass",
    evidence: [
      `${plural(f.decisions.count, "decision")} audited in the last ${POSTURE_LIMITS.decisionWindowDays} days, the latest at ${utc(f.decisions.latestAt!)}.`,
      construction,
      blind,
    ],
    fix,
  };
}

function delegationNarrows(f: PostureFacts): PostureItem {
  const base = {
    id: "delegation_narrows",
    checklist: "Permission scope narrows at each delegation hop, never expands.",
    title: "Delegation narrows at every hop",
  };
  const d = f.delegation;
  const fix = { label: "Token exchanges in the audit log", href: "/audit?action=token.exchange" };
  if (!d.tokenExchange) {
    return {
      ...base,
      status: "unknown",
      evidence: [
        "Token exchange (RFC 8693) is not enabled on this server, so agents cannot delegate through Deputy and there is no delegation to measure.",
        "Decisions already intersect every principal named in a token's act chain.",
      ],
      fix: null,
    };
  }
  const rules = `${plural(d.rules, "delegation rule")} let agents hand authority on; the exchange refuses any scope wider than the subject token's.`;
  if (d.widened.length > 0) {
    return {
      ...base,
      status: "fail",
      evidence: [rules, ...d.widened.map((w) => `Exchange ${w.eventId} issued tools its parent token did not hold: ${w.extra.join(", ")}`)],
      fix,
    };
  }
  if (d.checked === 0) {
    return {
      ...base,
      status: "unknown",
      evidence: [
        rules,
        d.exchanges === 0
          ? `No token exchanges in the last ${POSTURE_LIMITS.decisionWindowDays} days: nothing to compare.`
          : `${d.exchanges} token exchanges, but the issuance of their parent tokens is not in the audit trail to compare with.`,
      ],
      fix: d.exchanges ? fix : null,
    };
  }
  return {
    ...base,
    status: "pass",
    evidence: [
      rules,
      `The newest ${d.checked} of ${d.exchanges} token exchanges in the last ${POSTURE_LIMITS.decisionWindowDays} days each carry a scope within their parent token's (from the audit trail).`,
      ...(d.unmatched ? [`${d.unmatched} more could not be compared: their parent token's issuance is not in the audit trail.`] : []),
    ],
    fix,
  };
}

export function evaluatePosture(facts: PostureFacts, engineRequiresApproval = engineRequiresApprovalForIrreversible(facts.now)): PostureReport {
  const items = [
    ownCredentials(facts),
    tokenLifetimes(facts),
    secretRotation(facts),
    killDrill(facts),
    irreversibleApproval(facts, engineRequiresApproval),
    toolCallsAudited(facts),
    delegationNarrows(facts),
  ];
  const summary = { pass: 0, fail: 0, unknown: 0 };
  for (const i of items) summary[i.status]++;
  return { evaluatedAt: facts.now.toISOString(), items, summary };
}
