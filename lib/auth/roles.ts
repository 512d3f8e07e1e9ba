// Console roles. Least privilege by default: a new user is a viewer.
export const CONSOLE_ROLES = ["admin", "approver", "auditor", "viewer"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const DEFAULT_ROLE: ConsoleRole = "viewer";

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

/** Who may see each console section. One table, read by the navigation and by each page's guard. */
export const SECTION_ROLES = {
  dashboard: ["admin", "approver", "auditor", "viewer"],
  /** everyone may look; only admins change agents (the API refuses the others, the console hides the buttons) */
  agents: ["admin", "approver", "auditor", "viewer"],
  /** the resource tree and who holds what on it: everyone may look; only admins change the tree or grant */
  resources: ["admin", "approver", "auditor", "viewer"],
  /** the tool catalog and roles: everyone may look; only admins change them */
  tools: ["admin", "approver", "auditor", "viewer"],
  /** the approvals inbox: approvers and admins decide, auditors read */
  approvals: ["admin", "approver", "auditor"],
  users: ["admin"],
  apiKeys: ["admin"],
  audit: ["admin", "auditor"],
  /** the agent-auth checklist evaluated against live data */
  posture: ["admin", "auditor"],
  settings: ["admin"],
  /** a person's own consents to on-behalf-of agents: everyone sees and revokes their own */
  connectedAgents: ["admin", "approver", "auditor", "viewer"],
} as const satisfies Record<string, readonly ConsoleRole[]>;

export type ConsoleSection = keyof typeof SECTION_ROLES;

export function canSee(role: string, section: ConsoleSection): boolean {
  return (SECTION_ROLES[section] as readonly string[]).includes(role);
}
