// The anomaly rules' vocabulary and their pure parts. Rules read decisions after they were answered (observe-decision.ts
// runs them off the response path); the parts that need history (new_tool, denial_burst) are in the analyzer.

export const ALERT_RULES = ["outside_task", "new_tool", "denial_burst", "outside_window"] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** What the analyzer learns of one answered decision. Only decisions whose token named an agent are observed. */
export type DecisionObservation = {
  /** the decision's audit event id: every alert links it */
  decisionId: string;
  agentId: string;
  agentLabel: string;
  tool: string;
  nodeId: string | null;
  /** the resource as asked (a node id or a tree path), for messages */
  resource: string;
  decision: "allow" | "deny" | "approval_required";
  reasonCodes: string[];
  task: { id: string; tools?: string[] } | null;
  at: Date;
};

export type AlertCandidate = {
  agentId: string;
  rule: AlertRule;
  message: string;
  eventId: string;
  details: Record<string, unknown>;
};

/** Deny reasons that mean "a grant exists, but not now": the call came outside the agent's grant windows. */
export const WINDOW_CODES = ["expired", "not_yet_valid", "outside_schedule"] as const;

/** Tools of the kill-switch drill's canary (lib/drills/run-drill.ts): a drill is no anomaly, and its agent is deleted. */
export const IGNORED_TOOL_PREFIX = "deputy.drill.";

/** (a) The task declared its tools and this one is not among them. Decided on the request alone, whatever the answer. */
export function outsideTask(o: DecisionObservation): AlertCandidate | null {
  const tools = o.task?.tools;
  if (!o.task || !tools || tools.includes(o.tool)) return null;
  return {
    agentId: o.agentId,
    rule: "outside_task",
    eventId: o.decisionId,
    message: `${o.agentLabel} asked for ${o.tool}, which its task ${o.task.id} does not declare (${tools.join(", ") || "no tools"})`,
    details: { tool: o.tool, resource: o.resource, taskId: o.task.id, taskTools: tools, decision: o.decision },
  };
}

/** (d) Denied because a grant was outside its validity window or weekly schedule. */
export function outsideWindow(o: DecisionObservation): AlertCandidate | null {
  if (o.decision !== "deny") return null;
  const codes = o.reasonCodes.filter((c): c is (typeof WINDOW_CODES)[number] => (WINDOW_CODES as readonly string[]).includes(c));
  if (codes.length === 0) return null;
  const why = codes[0] === "outside_schedule" ? "outside its grant's schedule" : codes[0] === "expired" ? "after its grant expired" : "before its grant is valid";
  return {
    agentId: o.agentId,
    rule: "outside_window",
    eventId: o.decisionId,
    message: `${o.agentLabel} called ${o.tool} on ${o.resource} ${why}`,
    details: { tool: o.tool, resource: o.resource, reasons: [...new Set(codes)] },
  };
}

export function newTool(o: DecisionObservation, firstEver: boolean): AlertCandidate {
  return {
    agentId: o.agentId,
    rule: "new_tool",
    eventId: o.decisionId,
    message: firstEver
      ? `${o.agentLabel} made its first tool call: ${o.tool} (decision ${o.decision})`
      : `${o.agentLabel} called ${o.tool} for the first time (decision ${o.decision})`,
    details: { tool: o.tool, resource: o.resource, decision: o.decision, firstEver },
  };
}

export function denialBurst(o: DecisionObservation, denials: number, threshold: { count: number; minutes: number }): AlertCandidate {
  return {
    agentId: o.agentId,
    rule: "denial_burst",
    eventId: o.decisionId,
    message: `${o.agentLabel} was denied ${denials} times in ${threshold.minutes} minute${threshold.minutes === 1 ? "" : "s"} (threshold ${threshold.count})`,
    details: { denials, threshold, tool: o.tool, resource: o.resource },
  };
}
