import { describe, expect, it } from "vitest";
import { CONSOLE_ROLES, canSee, type ConsoleSection, DEFAULT_ROLE, isConsoleRole, SECTION_ROLES } from "./roles";

// The whole table, written out: a change to who sees what must change this test on purpose.
const EXPECTED: Record<ConsoleSection, Record<(typeof CONSOLE_ROLES)[number], boolean>> = {
  dashboard: { admin: true, approver: true, auditor: true, viewer: true },
  agents: { admin: true, approver: true, auditor: true, viewer: true },
  resources: { admin: true, approver: true, auditor: true, viewer: true },
  tools: { admin: true, approver: true, auditor: true, viewer: true },
  approvals: { admin: true, approver: true, auditor: true, viewer: false },
  users: { admin: true, approver: false, auditor: false, viewer: false },
  apiKeys: { admin: true, approver: false, auditor: false, viewer: false },
  audit: { admin: true, approver: false, auditor: true, viewer: false },
  posture: { admin: true, approver: false, auditor: true, viewer: false },
  settings: { admin: true, approver: false, auditor: false, viewer: false },
  connectedAgents: { admin: true, approver: true, auditor: true, viewer: true },
};

const cases = Object.entries(EXPECTED).flatMap(([section, byRole]) =>
  Object.entries(byRole).map(([role, allowed]) => ({ section: section as ConsoleSection, role, allowed })),
);

describe("canSee", () => {
  it("covers every section", () => {
    expect(Object.keys(SECTION_ROLES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)("$role on $section: $allowed", ({ role, section, allowed }) => {
    expect(canSee(role, section)).toBe(allowed);
  });

  it.each(["", "root", "Admin", "ADMIN", " admin"])("an unknown role %j sees nothing", (role) => {
    for (const section of Object.keys(SECTION_ROLES) as ConsoleSection[]) expect(canSee(role, section)).toBe(false);
  });
});

describe("roles", () => {
  it("defaults to the least privileged role", () => {
    expect(DEFAULT_ROLE).toBe("viewer");
  });

  it("isConsoleRole accepts exactly the four roles", () => {
    for (const r of CONSOLE_ROLES) expect(isConsoleRole(r)).toBe(true);
    for (const r of ["", "Admin", "owner", "api_key"]) expect(isConsoleRole(r)).toBe(false);
  });
});
