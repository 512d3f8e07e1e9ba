// The process bench/audit.mjs measures: builds a small world through the real use cases (an
// agent with a token, a resource server, a grant), then runs makeDecision() in process with a fixed number of calls
// in flight, alternating rounds without any audit write and with the real chained group-commit write.
// Config in BENCH_AUDIT (JSON): { concurrency, duration, warmup, rounds }. Prints one JSON line at the end.
import { register } from "tsx/esm/api";
import { threadCpuMs } from "./harness.mjs";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
const cfg = JSON.parse(process.env.BENCH_AUDIT);

const { getDb } = await import("../lib/db/client.ts");
const { systemActor } = await import("../lib/audit/actor.ts");
const { AuditBatcher } = await import("../lib/audit/audit-batcher.ts");
const { createAuditWriter } = await import("../lib/audit/audit-writer.ts");
const { linkRows } = await import("../lib/audit/chain.ts");
const { toAuditRow } = await import("../lib/audit/record-event.ts");
const { verifyAuditChain } = await import("../lib/audit/verify-chain.ts");
const { newId } = await import("../lib/ids.ts");
const { createUser } = await import("../lib/users/create-user.ts");
const { createAgent } = await import("../lib/agents/create-agent.ts");
const { createResourceServer } = await import("../lib/resource-servers/create-resource-server.ts");
const { createNode } = await import("../lib/resources/create-node.ts");
const { createTool } = await import("../lib/tools/create-tool.ts");
const { createGrant } = await import("../lib/grants/create-grant.ts");
const { handleTokenRequest } = await import("../lib/oauth/token-endpoint.ts");
const { makeDecision } = await import("../lib/authz/make-decision.ts");

const db = getDb();
const actor = systemActor("bench");
const audience = "https://bench-mcp.example/";
const tool = "bench.read";

const { user } = await createUser(db, { email: "owner@bench.local", role: "admin" }, actor);
const { agent, clientSecret } = await createAgent(db, { name: "bench-agent", owner: user.email, allowedScopes: [tool] }, actor);
const { resourceServer } = await createResourceServer(db, { name: "bench mcp", audience }, actor);
const root = await createNode(db, { type: "organization", name: "bench-org" }, actor);
const repo = await createNode(db, { type: "folder", name: "repo", parent: root.id }, actor);
await createTool(db, { name: tool, risk: "read" }, actor);
await createGrant(db, { principal: { type: "agent", id: agent.id }, node: root.id, tool, reason: "bench" }, actor);

const basic = `Basic ${Buffer.from(`${encodeURIComponent(agent.id)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
const headers = new Map([["authorization", basic], ["content-type", "application/x-www-form-urlencoded"]]);
const tokenRes = await handleTokenRequest({
  headers: { get: (n) => headers.get(n.toLowerCase()) ?? null },
  body: Buffer.from(`grant_type=client_credentials&scope=${encodeURIComponent(tool)}&resource=${encodeURIComponent(audience)}`),
});
if (tokenRes.status !== 200) throw new Error(`token endpoint answered ${tokenRes.status}: ${tokenRes.body}`);
const token = JSON.parse(tokenRes.body).access_token;
const server = { id: resourceServer.id, name: resourceServer.name, audience, secretId: "bench" };
const input = { token, tool, resource: repo.id, params: { n: 1 } };
const first = await makeDecision(db, server, input);
if (first.decision !== "allow") throw new Error(`the bench decision is not allowed: ${JSON.stringify(first.reasons)}`);

// the two ways makeDecision's auditBatcher() can answer: no write at all, or the real chained group commit
const g = globalThis;
const noAudit = { record: async (_input, now = new Date()) => newId("auditEvent", now.getTime()) };
const chained = new AuditBatcher(createAuditWriter(getDb));

async function run(mode, seconds) {
  g.__deputyAuditBatcher = mode === "chained" ? chained : noAudit;
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      await makeDecision(db, server, input);
      count++;
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpuMs();
  await Promise.all(Array.from({ length: cfg.concurrency }, lane));
  const used = process.cpuUsage(cpu0);
  const threads = threadCpuMs();
  // the event loop's share and the rest (the append worker, GC helpers): what moved off the loop still shows
  const split = threads && threads0 ? { mainUs: ((threads.main - threads0.main) * 1000) / count, otherUs: ((threads.others - threads0.others) * 1000) / count } : {};
  return { perSecond: count / ((performance.now() - t0) / 1000), cpuUs: (used.user + used.system) / count, ...split };
}

const rounds = [];
for (let r = 1; r <= cfg.rounds; r++) {
  for (const mode of r % 2 ? ["none", "chained"] : ["chained", "none"]) {
    await run(mode, cfg.warmup);
    const result = await run(mode, cfg.duration);
    rounds.push({ round: r, mode, ...result });
    const split = result.mainUs === undefined ? "" : ` (event loop ${result.mainUs.toFixed(1)} us, other threads ${result.otherUs.toFixed(1)} us)`;
    process.stderr.write(`round ${r}: ${mode === "none" ? "no audit write  " : "chained audit   "} ${Math.round(result.perSecond).toLocaleString()} decisions/s, ${result.cpuUs.toFixed(1)} us CPU each${split}\n`);
  }
}

// what the chain itself adds per event: linking (canonical JSON + SHA-256) a batch of decision-sized rows
const sample = Array.from({ length: 20_000 }, () =>
  toAuditRow({ actor: { type: "agent", id: agent.id, label: agent.name }, action: "decision.make", target: { type: "resource_node", id: repo.id }, result: "allow", details: { tool, resource: repo.id, principals: [`agent:${agent.id}`], reasons: [{ code: "granted", message: "x".repeat(80) }] } }),
);
const t0 = performance.now();
linkRows({ seq: 0, hash: "" }, sample);
const linkUsPerEvent = ((performance.now() - t0) * 1000) / sample.length;

const verified = await verifyAuditChain(db);
console.log(JSON.stringify({ rounds, linkUsPerEvent, verify: { ok: verified.ok, events: verified.checkedEvents, ms: verified.durationMs } }));
await db.$disconnect();
process.exit(0);
