// First run: a first admin and a small demo world, only into an empty database. Running it again over existing
// data changes nothing, so `npm run demo` can be run any number of times. The built-in node types and roles are
// ensured on every first run, demo or not (and lazily by the use cases that need them).
import { createAgent } from "@/lib/agents/create-agent";
import { type Actor, systemActor } from "@/lib/audit/actor";
import type { Db } from "@/lib/db/client";
import { createGrant } from "@/lib/grants/create-grant";
import { createNode } from "@/lib/resources/create-node";
import { ensureAuthzBuiltIns } from "@/lib/roles/ensure-authz-built-ins";
import { createTool } from "@/lib/tools/create-tool";
import { createUser } from "@/lib/users/create-user";

export type SeedResult =
  | { seeded: false; users: number }
  | {
      seeded: true;
      admin: { email: string; password: string | null };
      demoUsers: { email: string; role: string; password: string }[];
      /** the demo agent and its client secret (shown once), when the demo world was seeded */
      demoAgent: { id: string; name: string; clientSecret: string } | null;
    };

const DEMO_USERS = [
  { email: "approver@deputy.local", name: "Avery Approver", role: "approver" },
  { email: "auditor@deputy.local", name: "Aditi Auditor", role: "auditor" },
  { email: "viewer@deputy.local", name: "Victor Viewer", role: "viewer" },
] as const;

/** [path of the parent or null, type, name], parents before children */
const DEMO_TREE = [
  [null, "organization", "acme"],
  ["acme", "project", "platform"],
  ["acme/platform", "repository", "api"],
  ["acme/platform/api", "branch", "main"],
  ["acme/platform/api", "branch", "feature-login"],
  ["acme", "environment", "production"],
  ["acme/production", "service", "payments-db"],
] as const;

const str = { type: "string" } as const;
const DEMO_TOOLS = [
  {
    name: "github.read",
    risk: "read",
    description: "Read files and history of a repository.",
    paramsSchema: { type: "object", properties: { repository: str, branch: str } },
  },
  {
    name: "github.push",
    risk: "write",
    description: "Push commits to a branch.",
    paramsSchema: { type: "object", properties: { repository: str, branch: str }, required: ["branch"] },
  },
  {
    name: "deploy.release",
    risk: "irreversible",
    description: "Release a build to an environment.",
    paramsSchema: { type: "object", properties: { environment: str }, required: ["environment"] },
  },
  { name: "secrets.read", risk: "read", description: "Read a secret's value.", paramsSchema: { type: "object", properties: { name: str } } },
  {
    name: "payments.refund",
    risk: "irreversible",
    description: "Refund a payment.",
    paramsSchema: { type: "object", properties: { amount: { type: "number" } }, required: ["amount"] },
  },
] as const;

const DAY_MS = 86_400_000;

/** The demo tree, tools, a release bot with grants, and grants for the demo people. */
async function seedDemoWorld(db: Db, adminId: string, actor: Actor, now: Date) {
  for (const [parent, type, name] of DEMO_TREE) await createNode(db, { type, name, parent }, actor, now);
  for (const t of DEMO_TOOLS) await createTool(db, { ...t, paramsSchema: t.paramsSchema as Record<string, unknown> }, actor, now);
  const { agent, clientSecret } = await createAgent(
    db,
    {
      name: "release-bot",
      description: "Builds feature branches and ships releases in the Tuesday window.",
      owner: adminId,
      kind: "autonomous",
      allowedScopes: DEMO_TOOLS.map((t) => t.name),
    },
    actor,
    now,
  );
  const bot = { type: "agent", id: agent.id } as const;
  await createGrant(
    db,
    {
      principal: bot,
      role: "Editor",
      node: "acme/platform",
      constraints: { branch: { glob: "feature-*" } },
      reason: "Works on feature branches of the platform",
    },
    actor,
    now,
  );
  await createGrant(
    db,
    {
      principal: bot,
      tool: "deploy.release",
      node: "acme/production",
      constraints: { environment: { equals: "production" } },
      notBefore: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
      schedule: { days: [2], start: "14:00", end: "16:00", timeZone: "UTC" },
      reason: "Release window: Tuesdays 14:00-16:00 UTC, for the next 30 days",
    },
    actor,
    now,
  );
  await createGrant(db, { principal: { type: "user", id: adminId }, role: "Deployer", node: "acme", reason: "Owns the platform" }, actor, now);
  await createGrant(
    db,
    { principal: { type: "user", email: "approver@deputy.local" }, role: "Approver", node: "acme", reason: "Approves releases and refunds" },
    actor,
    now,
  );
  return { id: agent.id, name: agent.name, clientSecret: clientSecret! };
}

export async function seedFirstRun(
  db: Db,
  opts: { adminEmail?: string; adminPassword?: string; demo?: boolean },
): Promise<SeedResult> {
  const users = await db.user.count();
  if (users > 0) return { seeded: false, users };
  const actor = systemActor("seed", "first-run seed");
  const admin = await createUser(
    db,
    { email: opts.adminEmail ?? "admin@deputy.local", name: "Admin", role: "admin", password: opts.adminPassword },
    actor,
  );
  await ensureAuthzBuiltIns(db);
  const demoUsers = [];
  let demoAgent = null;
  if (opts.demo !== false) {
    for (const u of DEMO_USERS) {
      const { generatedPassword } = await createUser(db, u, actor);
      demoUsers.push({ email: u.email, role: u.role, password: generatedPassword! });
    }
    demoAgent = await seedDemoWorld(db, admin.user.id, actor, new Date());
  }
  return { seeded: true, admin: { email: admin.user.email, password: admin.generatedPassword }, demoUsers, demoAgent };
}
