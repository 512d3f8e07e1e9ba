// deputy <command>: first-run and scripting. Every change goes through the same use cases as the console and the
// API, and is audited with the CLI as its actor. Exit codes: 0 ok, 1 failed, 2 usage.
import os from "node:os";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { systemActor } from "@/lib/audit/actor";
import { getDb } from "@/lib/db/client";
import { ConfigError, env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { fromZodError } from "@/lib/errors/to-json-response";
import { seedFirstRun } from "@/lib/seed/seed-first-run";
import { agentCommand } from "./commands/agents";
import { apiKeyCommand } from "./commands/api-keys";
import { auditCommand } from "./commands/audit";
import { dbCommand } from "./commands/db";
import { dcrCommand } from "./commands/dcr";
import { delegationCommand } from "./commands/delegation";
import { grantCommand } from "./commands/grants";
import { drillCommand, freezeCommand } from "./commands/kill-switch";
import { nodeCommand, nodeTypeCommand } from "./commands/nodes";
import { resourceServerCommand } from "./commands/resource-servers";
import { roleCommand } from "./commands/roles";
import { toolCommand } from "./commands/tools";
import { signingKeyCommand } from "./commands/signing-keys";
import { userCommand } from "./commands/users";
import { print, UsageError } from "./output";

const HELP = `Usage: deputy <command> [options]   (or: npm run cli -- <command> [options])

  user create --email E [--role admin|approver|auditor|viewer] [--name N] [--password P]
  user list
  user set-role --email E --role R
  user disable --email E | user enable --email E
  user reset-password --email E [--password P]
  agent create --name N --owner EMAIL [--kind autonomous|on_behalf_of] [--description D]
               [--scopes "tool.a tool.b"] [--ttl SECONDS] [--introspect] [--redirect-uris "https://a/cb ..."]
                                   with --json prints {"id","client_id","client_secret"} (the secret shown once)
  agent list [--status S] [--owner EMAIL]
  agent suspend <agent id>         no new tokens; the tokens it holds stop working
  agent reactivate <agent id>
  agent activate <agent id>        a pending agent (registered through /oauth/register) can get tokens
  agent kill <agent id> --confirm NAME [--reason R]
                                   the kill switch: NAME must be the agent's name; every credential revoked, every
                                   token it holds or is named in refused within a second
  agent restore <agent id>         a killed agent back, with a new client secret (printed once; nothing else)
  freeze create [--node ID|PATH] [--reason R]
                                   incident mode: suspend every agent, or those whose grants reach the subtree
  freeze list [--active]
  freeze lift <freeze id>          reactivates the agents that freeze still holds suspended
  drill run                        a live kill-switch drill on a canary agent; exit 1 unless it passed
  drill list                       drill history with time to effect
  agent rotate-secret <agent id> [--grace-hours H]
                                   prints only the new secret; the old ones work H more hours (default 24, 0 = none)
  signing-key list                 token signing keys: kid, status, how long a retired key stays in the JWKS
  signing-key rotate               new active key; the old one verifies its tokens until they expire
  api-key create --name N          prints only the key (shown once)
  api-key list
  api-key revoke <key id>
  dcr token create --owner EMAIL [--expires-hours H]
                                   an initial access token for /oauth/register (RFC 7591), printed once; the client
                                   it registers becomes a pending agent owned by EMAIL, until an admin activates it
  dcr token list
  dcr token revoke <iat id>
  node create --type T --name N [--parent ID|PATH]
                                   a node of the resource tree (no --parent: a root); paths look like
                                   acme/platform/api or acme/platform/branch:main
  node list [--parent ID|PATH]     the children of a node, or the roots
  node get <id|path>
  node rename <id|path> --name N
  node move <id|path> --parent ID|PATH | --root
  node delete <id|path> [--cascade] [--dry-run | --digest D]
                                   refused while it has children or grants, unless --cascade (deletes them too);
                                   --dry-run lists what would go and prints a digest, and --cascade --digest D
                                   then deletes only if the subtree is still exactly that
  node-type list                   the types nodes may have (built-in and added), with their icons
  node-type create --name T [--icon I]
  node-type update <name> --icon I
  node-type delete <name>          refused for built-in types and while any node has the type
  tool create --name N --risk read|write|irreversible [--description D] [--params-schema JSON]
  tool update <id|name> [--description D] [--params-schema JSON] [--risk R]
              [--approval-policy any|not_subject|quorum] [--approval-quorum N] [--approval-ttl SECONDS]
  tool list
  tool delete <id|name>            refused while the tool is granted
  role list
  role show <id|name>              its description, tools and how many active grants hold it
  role create --name N [--description D] [--tools "tool.a tool.b"]
  role update <id|name> [--name N] [--description D] [--tools "tool.a tool.b"]
                                   --tools is the whole new set; grants of the role cover it at once
                                   (built-in roles: only the description changes)
  role delete <id|name>            refused for built-in roles and while the role is granted
  grant create (--agent ID | --user EMAIL) (--role NAME | --tool NAME) --node ID|PATH --reason R
               [--not-before ISO] [--expires ISO] [--constraints JSON] [--schedule JSON] [--requires-approval]
                                   e.g. --constraints '{"branch":{"glob":"feature-*"}}'
                                        --schedule '{"days":[2],"start":"14:00","end":"16:00","timeZone":"UTC"}'
  grant list [--node ID|PATH [--inherited]] [--agent ID | --user EMAIL] [--status active|scheduled|expired|revoked]
  grant revoke <grant id>
  resource-server create --name N --audience URI [--description D]
                                   with --json prints {"id","audience","secret"} (the secret shown once)
  resource-server list
  resource-server rotate-secret <id> [--grace-hours H]
                                   prints only the new secret; the old ones work H more hours (default 24, 0 = none)
  resource-server disable <id> | resource-server enable <id>
  delegation allow --from AGENT_ID --to AGENT_ID
                                   agent FROM may hand its tokens to agent TO (token exchange, RFC 8693); each hop
                                   still narrows scope, subtree and expiry
  delegation deny --from AGENT_ID --to AGENT_ID
  delegation list [--agent AGENT_ID]
  audit verify [--from SEQ]        walk the audit hash chain; names the first altered, deleted or inserted row
                                   (exit 1 if the chain is broken)
  db status                        provider, reachability, pending migrations (exit 1 if not ready)
  db migrate                       apply pending migrations
  seed                             first admin + demo world, only into an empty database

Options: --json (machine-readable output), --help
Environment: DATABASE_URL and the rest as in the README; ADMIN_EMAIL / ADMIN_PASSWORD for seed.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      id: { type: "string" },
      owner: { type: "string" },
      kind: { type: "string" },
      description: { type: "string" },
      scopes: { type: "string" },
      ttl: { type: "string" },
      introspect: { type: "boolean" },
      "redirect-uris": { type: "string" },
      status: { type: "string" },
      "grace-hours": { type: "string" },
      confirm: { type: "string" },
      active: { type: "boolean" },
      "no-demo": { type: "boolean" },
      type: { type: "string" },
      parent: { type: "string" },
      root: { type: "boolean" },
      cascade: { type: "boolean" },
      "dry-run": { type: "boolean" },
      digest: { type: "string" },
      risk: { type: "string" },
      "params-schema": { type: "string" },
      tools: { type: "string" },
      icon: { type: "string" },
      "approval-policy": { type: "string" },
      "approval-quorum": { type: "string" },
      "approval-ttl": { type: "string" },
      agent: { type: "string" },
      user: { type: "string" },
      tool: { type: "string" },
      node: { type: "string" },
      "not-before": { type: "string" },
      expires: { type: "string" },
      constraints: { type: "string" },
      schedule: { type: "string" },
      "requires-approval": { type: "boolean" },
      inherited: { type: "boolean" },
      reason: { type: "string" },
      audience: { type: "string" },
      from: { type: "string" },
      "expires-hours": { type: "string" },
      to: { type: "string" },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  env(); // configuration errors surface here, before anything else
  const o = { json: values.json === true };
  const db = getDb();
  const actor = systemActor("cli", `cli (${os.userInfo().username})`);
  try {
    switch (command) {
      case "user":
        await userCommand(db, sub, values, actor, o);
        return 0;
      case "agent":
        await agentCommand(db, sub, values, rest, actor, o);
        return 0;
      case "dcr":
        await dcrCommand(db, sub, rest, values, actor, o);
        return 0;
      case "api-key":
        await apiKeyCommand(db, sub, values, rest, actor, o);
        return 0;
      case "signing-key":
        await signingKeyCommand(db, sub, actor, o);
        return 0;
      case "node":
        await nodeCommand(db, sub, values, rest, actor, o);
        return 0;
      case "node-type":
        await nodeTypeCommand(db, sub, values, rest, actor, o);
        return 0;
      case "tool":
        await toolCommand(db, sub, values, rest, actor, o);
        return 0;
      case "role":
        await roleCommand(db, sub, values, rest, actor, o);
        return 0;
      case "grant":
        await grantCommand(db, sub, values, rest, actor, o);
        return 0;
      case "resource-server":
        await resourceServerCommand(db, sub, values, rest, actor, o);
        return 0;
      case "delegation":
        await delegationCommand(db, sub, values, actor, o);
        return 0;
      case "freeze":
        await freezeCommand(db, sub, values, rest, actor, o);
        return 0;
      case "drill":
        return await drillCommand(db, sub, actor, o);
      case "audit":
        return await auditCommand(db, sub, values, o);
      case "db":
        return await dbCommand(db, sub, o);
      case "seed": {
        const r = await seedFirstRun(db, {
          adminEmail: process.env.ADMIN_EMAIL || undefined,
          adminPassword: process.env.ADMIN_PASSWORD || undefined,
          demo: !values["no-demo"],
        });
        print(o, r, () =>
          r.seeded
            ? [
                "Seeded the first admin and a demo world. These passwords are shown once:",
                `  admin     ${r.admin.email}  ${r.admin.password ?? "(the ADMIN_PASSWORD you set)"}`,
                ...r.demoUsers.map((u) => `  ${u.role.padEnd(9)} ${u.email}  ${u.password}`),
                ...(r.demoAgent ? [`  agent     ${r.demoAgent.name}  client_id ${r.demoAgent.id}  client_secret ${r.demoAgent.clientSecret}`] : []),
              ].join("\n")
            : `Existing data kept (${r.users} users); nothing seeded.`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } finally {
    await db.$disconnect();
  }
}

function fail(message: string, code: number): number {
  console.error(`deputy: ${message}`);
  return code;
}

const NOT_MIGRATED = "the database lacks tables or columns this version uses: its migrations are not all applied. Run `deputy db migrate` (`deputy db status` lists them).";

main(process.argv.slice(2))
  .catch((e: unknown) => {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return fail(`${(e as Error).message}\n\n${HELP}`, 2);
    if (e instanceof ConfigError) return fail(e.message, 2);
    if (e instanceof ZodError) return fail(fromZodError(e).message, 1);
    if (e instanceof AppError) return fail(e.message, 1);
    // a table or column the code expects is missing: an older database, not a bug to show the source of
    if (["P2021", "P2022"].includes((e as { code?: string }).code ?? "")) return fail(NOT_MIGRATED, 1);
    return fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`, 1);
  })
  // exit once stdout is written out: a large --json document sent to a pipe would otherwise be cut short
  .then((code) => process.stdout.write("", () => process.exit(code)));
