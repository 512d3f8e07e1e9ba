// The audit console's API: filters (agent, user, action exact and prefix, result, time range, resource subtree),
// keyset paging, the event detail, the streamed JSONL/CSV export, and the SIEM webhook sink.
// The database is shared by every test file, so each test records its events inside a time window of its own, far in
// the past, and filters on it: nothing else can fall inside.
import { randomInt } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET as getEventRoute } from "@/app/api/v1/audit-events/[eventId]/route";
import { GET as exportRoute } from "@/app/api/v1/audit-events/export/route";
import { GET as listRoute } from "@/app/api/v1/audit-events/route";
import type { Actor } from "@/lib/audit/actor";
import { AuditBatcher } from "@/lib/audit/audit-batcher";
import { auditSinkMaybeWanted, forwardCommittedAuditRows, invalidateAuditSink } from "@/lib/audit/audit-sink";
import { createAuditWriter } from "@/lib/audit/audit-writer";
import { csvField, exportAuditEvents } from "@/lib/audit/export-events";
import type { AuditEventView } from "@/lib/audit/list-events";
import { type AuditInput, recordAuditEvent } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, json, routeParams } from "../helpers/http";
import { adminKey, consoleSession, makeTree } from "./authz-helpers";

const SECOND = 1000;

/** A window of its own for one test: an hour somewhere in 2001-2004, which no other test writes into. */
function timeWindow() {
  const start = new Date(Date.UTC(2001, 0, 1) + randomInt(0, 3 * 365 * 24) * 3_600_000);
  return { start, at: (seconds: number) => new Date(start.getTime() + seconds * SECOND), from: start.toISOString(), to: new Date(start.getTime() + 3_600_000).toISOString() };
}

const agentActor = (id: string): Actor => ({ type: "agent", id, label: id });
const userActor = (id: string, label = `${id}@example.com`): Actor => ({ type: "user", id, label });

async function record(input: Partial<AuditInput> & { at: Date }): Promise<string> {
  const { at, ...rest } = input;
  return recordAuditEvent(getDb(), { actor: testActor, action: "test.event", ...rest }, at);
}

let key: string;
async function list(query: Record<string, string | number>, auth: { key?: string; session?: string } = { key }) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return listRoute(apiRequest(`/api/v1/audit-events?${qs}`, auth));
}
async function ids(query: Record<string, string | number>): Promise<string[]> {
  const res = await list({ limit: 200, ...query });
  expect(res.status).toBe(200);
  return ((await json(res)).events as AuditEventView[]).map((e) => e.id);
}

describe("GET /api/v1/audit-events filters", () => {
  it("agent: events it did and events done to it, once each, newest first", async () => {
    key ??= await adminKey();
    const w = timeWindow();
    const a = newId("agent");
    const b = newId("agent");
    const did = await record({ at: w.at(1), actor: agentActor(a), action: "decision.make", result: "allow" });
    const killed = await record({ at: w.at(2), actor: userActor(newId("user")), action: "agent.kill", target: { type: "agent", id: a } });
    const both = await record({ at: w.at(3), actor: agentActor(a), action: "token.issue", target: { type: "agent", id: a } });
    await record({ at: w.at(4), actor: agentActor(b), action: "decision.make", result: "deny" });
    await record({ at: w.at(5), actor: userActor(newId("user")), action: "agent.kill", target: { type: "agent", id: b } });
    expect(await ids({ agent: a, from: w.from, to: w.to })).toEqual([both, killed, did]);
    expect(await ids({ agent: a })).toEqual([both, killed, did]); // no window needed: the id is unique
  });

  it("user: the events that person did (as actor)", async () => {
    const w = timeWindow();
    const u = newId("user");
    const one = await record({ at: w.at(1), actor: userActor(u), action: "grant.create" });
    await record({ at: w.at(2), actor: userActor(newId("user")), action: "grant.create", target: { type: "user", id: u } });
    const two = await record({ at: w.at(3), actor: userActor(u), action: "grant.revoke" });
    expect(await ids({ user: u })).toEqual([two, one]);
    expect(await ids({ actorId: u })).toEqual([two, one]);
  });

  it("action: exact, or every action of a noun with a trailing dot (and no other noun that starts alike)", async () => {
    const w = timeWindow();
    const make = await record({ at: w.at(1), action: "decision.make" });
    const filter = await record({ at: w.at(2), action: "decision.filter" });
    await record({ at: w.at(3), action: "decision_log.write" });
    await record({ at: w.at(4), action: "decisions.make" });
    await record({ at: w.at(5), action: "agent.kill" });
    const range = { from: w.from, to: w.to };
    expect(await ids({ ...range, action: "decision.make" })).toEqual([make]);
    expect(await ids({ ...range, action: "decision." })).toEqual([filter, make]);
    expect(await ids({ ...range, action: "decision.filter" })).toEqual([filter]);
    expect(await ids({ ...range, action: "nothing." })).toEqual([]);
  });

  it("result: allow, deny, approval_required", async () => {
    const w = timeWindow();
    const allow = await record({ at: w.at(1), action: "decision.make", result: "allow" });
    const deny = await record({ at: w.at(2), action: "decision.make", result: "deny" });
    const approval = await record({ at: w.at(3), action: "decision.make", result: "approval_required" });
    const range = { from: w.from, to: w.to };
    expect(await ids({ ...range, result: "allow" })).toEqual([allow]);
    expect(await ids({ ...range, result: "deny" })).toEqual([deny]);
    expect(await ids({ ...range, result: "approval_required" })).toEqual([approval]);
    expect(await ids({ ...range, result: "deny", action: "decision." })).toEqual([deny]);
  });

  it("time range: from is inclusive, to exclusive, to the millisecond, with any offset", async () => {
    const w = timeWindow();
    const t0 = await record({ at: w.at(10) });
    const t1 = await record({ at: new Date(w.at(20).getTime() - 1) });
    const t2 = await record({ at: w.at(20) });
    const t3 = await record({ at: w.at(30) });
    expect(await ids({ from: w.at(10).toISOString(), to: w.at(20).toISOString() })).toEqual([t1, t0]);
    expect(await ids({ from: new Date(w.at(10).getTime() + 1).toISOString(), to: w.at(30).toISOString() })).toEqual([t2, t1]);
    expect(await ids({ from: w.at(20).toISOString(), to: new Date(w.at(30).getTime() + 1).toISOString() })).toEqual([t3, t2]);
    // the same instant written with an offset
    const local = w.at(20).toISOString().replace("Z", "+00:00");
    expect(await ids({ from: local, to: w.at(30).toISOString() })).toEqual([t2]);
    expect(await ids({ from: w.from, to: w.to })).toEqual([t3, t2, t1, t0]);
  });

  it("node: events whose target is the node or any node below it, by id or by path; never an ancestor or a sibling", async () => {
    const { root, nodes } = await makeTree(["a", "a/a1", "a/a1/deep", "b", "ab"]);
    const w = timeWindow();
    const on = async (rel: string, s: number) => record({ at: w.at(s), action: "decision.make", result: "allow", target: { type: "resource_node", id: nodes[rel]!.id } });
    await on("", 1);
    const a = await on("a", 2);
    const a1 = await on("a/a1", 3);
    const deep = await on("a/a1/deep", 4);
    await on("b", 5);
    await on("ab", 6);
    // an event whose target is not a node but happens to carry the same id is not in the subtree
    await record({ at: w.at(7), target: { type: "agent", id: nodes["a/a1"]!.id } });
    const range = { from: w.from, to: w.to };
    expect(await ids({ ...range, node: nodes.a!.id })).toEqual([deep, a1, a]);
    expect(await ids({ ...range, node: `${root}/a` })).toEqual([deep, a1, a]);
    expect(await ids({ ...range, node: nodes["a/a1/deep"]!.id })).toEqual([deep]);
    expect(await ids({ node: nodes.a!.id, from: w.at(3).toISOString(), to: w.to })).toEqual([deep, a1]);
    expect((await ids({ node: nodes[""]!.id, from: w.from, to: w.to })).length).toBe(6);
    // changes to the tree name their node as type "node": they are in the subtree too
    const moved = await record({ at: w.at(8), action: "node.rename", target: { type: "node", id: nodes["a/a1"]!.id } });
    expect(await ids({ node: nodes.a!.id, from: w.from, to: w.to })).toEqual([moved, deep, a1, a]);
  });

  it("node: a subtree of many nodes (walked in time order) gives the same answer", async () => {
    const children = Array.from({ length: 40 }, (_, i) => `big/n${i}`);
    const { nodes } = await makeTree(["big", ...children, "other"]);
    const w = timeWindow();
    const inside: string[] = [];
    for (const [i, rel] of children.entries()) {
      inside.unshift(await record({ at: w.at(i * 2), target: { type: "resource_node", id: nodes[rel]!.id } }));
      await record({ at: w.at(i * 2 + 1), target: { type: "resource_node", id: nodes.other!.id } });
    }
    expect(await ids({ node: nodes.big!.id, from: w.from, to: w.to })).toEqual(inside);
    expect(await ids({ node: nodes.big!.id, from: w.from, to: w.to, result: "failure" })).toEqual([]);
    // without a window: the same events, and the 41 node.create events of the subtree (target type "node")
    expect(await ids({ node: nodes.big!.id, action: "node.create" })).toHaveLength(41);
  });

  it("combines filters (AND)", async () => {
    const w = timeWindow();
    const a = newId("agent");
    const hit = await record({ at: w.at(5), actor: agentActor(a), action: "decision.make", result: "deny" });
    await record({ at: w.at(6), actor: agentActor(a), action: "decision.make", result: "allow" });
    await record({ at: w.at(7), actor: agentActor(a), action: "token.issue", result: "success" });
    await record({ at: w.at(8), actor: agentActor(newId("agent")), action: "decision.make", result: "deny" });
    expect(await ids({ agent: a, action: "decision.", result: "deny", from: w.from, to: w.to })).toEqual([hit]);
  });
});

describe("keyset paging", () => {
  it("pages through in order with no gap or repeat, also across equal timestamps and while new events arrive", async () => {
    const w = timeWindow();
    const all: string[] = [];
    // 23 events, several sharing a millisecond (ties are broken by id)
    for (let i = 0; i < 23; i++) all.push(await record({ at: w.at(Math.floor(i / 4)), action: "page.test" }));
    const expected = await ids({ from: w.from, to: w.to });
    expect([...expected].sort()).toEqual([...all].sort());
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list({ from: w.from, to: w.to, limit: 5, ...(cursor ? { cursor } : {}) });
      const body = await json(res);
      seen.push(...body.events.map((e: AuditEventView) => e.id));
      // newer events arriving between pages do not move the later pages
      await record({ at: w.at(3000 + page), action: "page.test" });
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(expected);
  });

  it("pages the agent filter (two merged branches) the same way", async () => {
    const w = timeWindow();
    const a = newId("agent");
    for (let i = 0; i < 12; i++) {
      await record({ at: w.at(i), actor: i % 2 ? agentActor(a) : userActor(newId("user")), target: i % 3 === 0 ? { type: "agent", id: a } : undefined });
    }
    const expected = await ids({ agent: a });
    expect(expected).toHaveLength(8); // odd i (actor) or i % 3 === 0 (target): 1,3,5,7,9,11 + 0,6
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body = await json(await list({ agent: a, limit: 3, ...(cursor ? { cursor } : {}) }));
      seen.push(...body.events.map((e: AuditEventView) => e.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });
});

describe("errors and roles", () => {
  it.each([
    ["agent", "alice", "agent: must be an id starting with agt_"],
    ["user", "agt_x", "user: must be an id starting with usr_"],
    ["action", "Decision", "action: must be an action (decision.make) or a noun and a dot (decision.) for all of its actions"],
    ["action", "decision", "action: must be an action (decision.make) or a noun and a dot (decision.) for all of its actions"],
    ["result", "maybe", 'result: Invalid option: expected one of "success"|"failure"|"allow"|"deny"|"approval_required"'],
    ["from", "yesterday", "from: must be an ISO 8601 date-time with an offset, e.g. 2026-11-29T10:00:00Z"],
    ["to", "2026-11-29T10:00:00", "to: must be an ISO 8601 date-time with an offset, e.g. 2026-11-29T10:00:00Z"],
    ["cursor", "bm9wZQ", "cursor: is not a cursor of this listing"],
    ["limit", "0", "limit: Too small: expected number to be >=1"],
  ])("400 for a bad %s (%s)", async (name, value, message) => {
    key ??= await adminKey();
    const res = await list({ [name]: value });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: "validation_failed", message });
  });

  it("400 for from not before to, and for a node that does not exist", async () => {
    const same = await list({ from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" });
    expect(same.status).toBe(400);
    expect((await json(same)).error.message).toBe("to: must be after from");
    const missing = await list({ node: "res_00000000000000000000000000" });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error).toMatchObject({ code: "validation_failed", message: "node: Resource node not found" });
    const badPath = await list({ node: `nowhere-${uniqueTag()}/x` });
    expect(badPath.status).toBe(400);
  });

  it("auditors may list, read and export; viewers and approvers get 403; no credentials 401", async () => {
    const auditor = await consoleSession("auditor");
    expect((await list({ limit: 1 }, { session: auditor.session })).status).toBe(200);
    expect((await exportRoute(apiRequest("/api/v1/audit-events/export?format=jsonl&action=nothing.", { session: auditor.session }))).status).toBe(200);
    for (const role of ["viewer", "approver"] as const) {
      const { session } = await consoleSession(role);
      const res = await list({ limit: 1 }, { session });
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
      const exp = await exportRoute(apiRequest("/api/v1/audit-events/export?format=csv", { session }));
      expect(exp.status).toBe(403);
      const one = await getEventRoute(apiRequest("/api/v1/audit-events/evt_x", { session }), routeParams({ eventId: "evt_x" }));
      expect(one.status).toBe(403);
    }
    expect((await listRoute(apiRequest("/api/v1/audit-events"))).status).toBe(401);
    expect((await exportRoute(apiRequest("/api/v1/audit-events/export?format=csv"))).status).toBe(401);
  });

  it("GET /audit-events/{id}: the whole event with its chain position; 404 for an unknown id", async () => {
    const w = timeWindow();
    const id = await record({ at: w.at(1), action: "decision.make", result: "deny", details: { tool: "github.push", reasons: [{ code: "no_grant" }] }, ip: "203.0.113.9" });
    const res = await getEventRoute(apiRequest(`/api/v1/audit-events/${id}`, { key }), routeParams({ eventId: id }));
    expect(res.status).toBe(200);
    const body = await json(res);
    const row = await getDb().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(body).toEqual({
      id,
      createdAt: w.at(1).toISOString(),
      actor: { type: testActor.type, id: testActor.id, label: testActor.label },
      action: "decision.make",
      target: null,
      result: "deny",
      details: { tool: "github.push", reasons: [{ code: "no_grant" }] },
      ip: "203.0.113.9",
      seq: row.seq,
      prevHash: row.prevHash,
      hash: row.hash,
    });
    expect(body.seq).toBeGreaterThan(0);
    expect(body.hash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await getEventRoute(apiRequest("/api/v1/audit-events/evt_nope", { key }), routeParams({ eventId: "evt_nope" }));
    expect(missing.status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------------------------

async function exportText(query: Record<string, string>, auth: { key?: string; session?: string } = { key }) {
  const res = await exportRoute(apiRequest(`/api/v1/audit-events/export?${new URLSearchParams(query)}`, auth));
  return { res, text: res.status === 200 ? await res.text() : "" };
}

/** RFC 4180 parser, strict: a test of our writer must not share its assumptions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"' && field === "") (quoted = true), i++;
    else if (c === ",") row.push(field), (field = ""), i++;
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else if (c === "\n" || c === "\r" || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else (field += c), i++;
  }
  if (field !== "" || row.length) throw new Error("missing final CRLF");
  return rows;
}

describe("GET /api/v1/audit-events/export", () => {
  it("JSON Lines: one event per line, as the listing shows them, with a file name; the export is audited with its filters", async () => {
    key ??= await adminKey();
    const w = timeWindow();
    const a = newId("agent");
    for (let i = 0; i < 5; i++) await record({ at: w.at(i), actor: agentActor(a), action: "decision.make", result: i % 2 ? "deny" : "allow", details: { n: i } });
    const { res, text } = await exportText({ format: "jsonl", agent: a, result: "allow" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jsonl; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="deputy-audit-\d{8}T\d{6}Z\.jsonl"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as AuditEventView);
    expect(text.endsWith("\n")).toBe(true);
    const listed = (await json(await list({ agent: a, result: "allow" }))).events;
    expect(lines).toEqual(listed);
    expect(lines.map((l) => l.details.n)).toEqual([4, 2, 0]);

    const exportId = res.headers.get("deputy-export-event-id")!;
    const audited = await getDb().auditEvent.findUniqueOrThrow({ where: { id: exportId } });
    expect(audited).toMatchObject({ action: "audit.export", actorType: "api_key" });
    expect(JSON.parse(audited.details)).toEqual({ format: "jsonl", filters: { agent: a, result: "allow" } });
  });

  it("does not include its own audit.export event, nor anything recorded after it began", async () => {
    const { res, text } = await exportText({ format: "jsonl", action: "audit.export" });
    const own = res.headers.get("deputy-export-event-id");
    expect(text.split("\n").filter(Boolean).map((l) => JSON.parse(l).id)).not.toContain(own);
  });

  it("CSV: RFC 4180 quoting, CRLF lines, and formula cells neutralised", async () => {
    const w = timeWindow();
    const u = newId("user");
    const labels = ['comma, "quoted"\nand a new line', "=HYPERLINK(\"http://evil\")", "+1+2", "-2", "@SUM(A1)", "\tTAB", "plain"];
    for (const [i, label] of labels.entries()) await record({ at: w.at(i), actor: userActor(u, label), action: "user.update", details: { note: label } });
    const { res, text } = await exportText({ format: "csv", user: u });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toMatch(/filename="deputy-audit-\d{8}T\d{6}Z\.csv"$/);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["id", "created_at", "seq", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "result", "ip", "details", "prev_hash", "hash"]);
    const body = rows.slice(1);
    expect(body.map((r) => r[5])).toEqual([...labels].reverse().map((l) => (/^[=+\-@\t]/.test(l) ? `'${l}` : l)));
    const first = body.at(-1)!;
    expect(JSON.parse(first[11]!)).toEqual({ note: labels[0] });
    const row = await getDb().auditEvent.findUniqueOrThrow({ where: { id: first[0]! } });
    expect(first).toEqual([row.id, row.createdAt.toISOString(), String(row.seq), "user", u, labels[0], "user.update", "", "", "success", "", row.details, row.prevHash, row.hash]);
  });

  it("csvField: quoting and formula prefixes, cell by cell", () => {
    expect(csvField("a")).toBe("a");
    expect(csvField(null)).toBe("");
    expect(csvField(12)).toBe("12");
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("=1,2")).toBe(`"'=1,2"`);
    expect(csvField("-")).toBe("'-");
    expect(csvField("@x")).toBe("'@x");
    expect(csvField("a=b")).toBe("a=b");
  });

  it("streams a long range page by page: many chunks, every row once, in order", async () => {
    const w = timeWindow();
    const a = newId("agent");
    const batcher = new AuditBatcher(createAuditWriter(getDb));
    const n = 1234;
    await Promise.all(Array.from({ length: n }, (_, i) => batcher.record({ actor: agentActor(a), action: "decision.make", result: "allow", details: { i } }, w.at(i))));
    const res = await exportRoute(apiRequest(`/api/v1/audit-events/export?format=csv&agent=${a}`, { key }));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    // the header, then one chunk per page of 500
    expect(chunks.length).toBe(1 + Math.ceil(n / 500));
    const rows = parseCsv(Buffer.concat(chunks).toString("utf8")).slice(1);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => JSON.parse(r[11]!).i)).toEqual(Array.from({ length: n }, (_, i) => n - 1 - i));
  });

  it("reads the next page only when the reader asks for it", async () => {
    const w = timeWindow();
    const u = newId("user");
    for (let i = 0; i < 7; i++) await record({ at: w.at(i), actor: userActor(u), action: "user.update" });
    const file = await exportAuditEvents(getDb(), { format: "jsonl", user: u }, testActor, null, new Date(), 3);
    const reader = file.stream.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).trimEnd().split("\n")).toHaveLength(3);
    // an event recorded now is after the export's start: never in it, whatever page is read next
    await record({ at: w.at(100), actor: userActor(u), action: "user.update" });
    const rest: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest.push(...new TextDecoder().decode(value).trimEnd().split("\n"));
    }
    expect(rest).toHaveLength(4);
  });

  it("400 without a format or with a bad filter, before anything is audited", async () => {
    const before = await getDb().auditEvent.count({ where: { action: "audit.export" } });
    for (const q of ["", "format=xml", `format=csv&actorId=dpk_${"a".repeat(30)}`, "format=csv&node=res_00000000000000000000000000", "format=csv&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"]) {
      const res = await exportRoute(apiRequest(`/api/v1/audit-events/export?${q}`, { key }));
      expect(res.status).toBe(400);
    }
    expect(await getDb().auditEvent.count({ where: { action: "audit.export" } })).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("the SIEM sink: webhooks subscribed to audit.event", () => {
  const hooks: string[] = [];
  afterAll(async () => {
    for (const id of hooks) await deleteWebhook(getDb(), id, testActor).catch(() => undefined);
  });
  const hook = async (events: string[], enabled = true) => {
    const { webhook } = await createWebhook(getDb(), { name: `siem ${uniqueTag()}`, url: "http://127.0.0.1:9/siem", events, enabled }, testActor, { allowPrivate: true });
    hooks.push(webhook.id);
    return webhook;
  };
  const deliveriesFor = (webhookId: string) => getDb().webhookDelivery.findMany({ where: { webhookId }, orderBy: { id: "asc" } });
  const eventIdsOf = (rows: { payload: string }[]) => rows.map((d) => JSON.parse(d.payload).data.id as string);

  it("with no subscriber, nothing is queued and the view answers from memory", async () => {
    // another file's webhooks take "*" at most, which is not the audit stream
    invalidateAuditSink(0);
    await record({ at: new Date() });
    expect(auditSinkMaybeWanted()).toBe(false);
    expect(await getDb().webhookDelivery.count({ where: { event: "audit.event" } })).toBe(0);
  });

  it("recordAuditEvent queues one delivery per event in the same transaction; '*' and disabled webhooks get none", async () => {
    const siem = await hook(["audit.event"]);
    const star = await hook(["*"]);
    const off = await hook(["audit.event"], false);
    const w = timeWindow();
    const id = await record({ at: w.at(1), action: "decision.make", result: "deny", details: { tool: "x.y" }, target: { type: "resource_node", id: "res_1" } });
    const rows = await deliveriesFor(siem.id);
    expect(eventIdsOf(rows)).toContain(id);
    const d = rows.find((r) => JSON.parse(r.payload).data.id === id)!;
    const row = await getDb().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(d).toMatchObject({ event: "audit.event", status: "pending" });
    expect(JSON.parse(d.payload)).toEqual({
      id: d.id,
      event: "audit.event",
      created_at: w.at(1).toISOString(),
      data: {
        id,
        created_at: w.at(1).toISOString(),
        seq: row.seq,
        prev_hash: row.prevHash,
        hash: row.hash,
        actor: { type: testActor.type, id: testActor.id, label: testActor.label },
        action: "decision.make",
        target: { type: "resource_node", id: "res_1" },
        result: "deny",
        details: { tool: "x.y" },
        ip: null,
      },
    });
    expect(await deliveriesFor(star.id)).toEqual([]);
    expect(await deliveriesFor(off.id)).toEqual([]);

    // a change that rolls back leaves no delivery behind
    const ghost = newId("auditEvent");
    await getDb()
      .$transaction(async (tx) => {
        await recordAuditEvent(tx, { actor: testActor, action: "test.event", details: { ghost } });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect((await deliveriesFor(siem.id)).some((r) => r.payload.includes(ghost))).toBe(false);
  });

  it("the batcher queues its batch's deliveries after the commit, in one go", async () => {
    const siem = await hook(["audit.event"]);
    const batcher = new AuditBatcher(createAuditWriter(getDb), (rows) => forwardCommittedAuditRows(getDb, rows));
    const a = newId("agent");
    const recorded = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.record({ actor: agentActor(a), action: "decision.make", result: "allow", details: { i } })));
    await vi.waitFor(async () => expect(eventIdsOf(await deliveriesFor(siem.id))).toEqual(expect.arrayContaining(recorded)), { timeout: 5000, interval: 20 });
    const mine = (await deliveriesFor(siem.id)).filter((d) => recorded.includes(JSON.parse(d.payload).data.id));
    expect(mine).toHaveLength(20);
    expect(new Set(mine.map((d) => JSON.parse(d.payload).data.id)).size).toBe(20);
  });

  it("stops when the last subscriber goes: the webhook change is seen at once in this process", async () => {
    const siem = await hook(["audit.event"]);
    await record({ at: new Date() });
    expect(auditSinkMaybeWanted()).toBe(true);
    for (const id of hooks.splice(0)) await deleteWebhook(getDb(), id, testActor);
    const after = await record({ at: new Date() });
    expect(await getDb().webhookDelivery.count({ where: { event: "audit.event", payload: { contains: after } } })).toBe(0);
    expect(await deliveriesFor(siem.id)).toEqual([]); // cascaded with the webhook
    // settled: once the settle window has passed, the view knows nobody subscribes and reads nothing per event
    invalidateAuditSink(0);
    await record({ at: new Date() });
    expect(auditSinkMaybeWanted()).toBe(false);
  });
});
