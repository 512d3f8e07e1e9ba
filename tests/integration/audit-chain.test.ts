// The audit trail's hash chain on a real database (SQLite, or PostgreSQL when DATABASE_URL names one). Tampering is
// done the way an intruder with database access would: raw SQL on the tables. Every tampering test undoes itself, so
// that the shared test database's chain stays clean for the tests after it.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient as PgClient } from "@/generated/postgresql/client";
import { auditBatcher } from "@/lib/audit/audit-batcher";
import { appendToChain, CHECKPOINT_EVERY, checkpointHead, eventHash } from "@/lib/audit/chain";
import { recordAuditEvent, toAuditRow } from "@/lib/audit/record-event";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { type DbClient, getDb, inTransaction } from "@/lib/db/client";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { newId } from "@/lib/ids";
import { makeApiKey, makeUser, testActor, uniqueTag } from "../helpers/factories";
import { apiError, apiRequest, BASE_URL, json, sessionCookie } from "../helpers/http";
import { POST as verifyRoute } from "@/app/api/v1/audit-events/verify/route";
import { deputy } from "../helpers/cli";

const db = () => getDb();
const isPostgres = process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql";
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const event = (targetId: string, i: number) => ({ actor: testActor, action: "test.chain" as const, target: { type: "test", id: targetId }, details: { i } });

/** n events through recordAuditEvent, one after another; their rows in chain order. */
async function appendEvents(n: number) {
  const targetId = `tgt_${uniqueTag()}`;
  for (let i = 0; i < n; i++) await recordAuditEvent(db(), event(targetId, i));
  return db().auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
}

const head = async () => db().auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
const problemOf = async () => (await verifyAuditChain(db())).problem;

/** Runs the tampering, then always undoes it and checks the chain is clean again. */
async function tampered(tamper: () => Promise<unknown>, undo: () => Promise<unknown>, check: () => Promise<void>) {
  await tamper();
  try {
    await check();
  } finally {
    await undo();
  }
  expect(await problemOf()).toBeNull();
}

describe("appending", () => {
  it("gives every event the next position, the previous hash and its own hash", async () => {
    const before = await db().auditChainHead.findUnique({ where: { id: 1 } });
    const rows = await appendEvents(3);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3].map((i) => (before?.seq ?? 0) + i));
    expect(rows[0]!.prevHash).toBe(before?.hash ?? "");
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    for (const r of rows) expect(r.hash).toBe(eventHash(r.prevHash!, { ...r, seq: r.seq! }));
    expect(await head()).toMatchObject({ seq: rows[2]!.seq, hash: rows[2]!.hash });
  });

  it("a clean chain verifies, reporting progress batch by batch", async () => {
    await appendEvents(12);
    const progress: number[] = [];
    const r = await verifyAuditChain(db(), { batchSize: 5, onProgress: (p) => progress.push(p.checkedEvents) });
    expect(r).toMatchObject({ ok: true, problem: null, checkedEvents: (await head()).seq, headSeq: (await head()).seq });
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(r.checkedEvents);
  });

  it("verifies from a position onwards", async () => {
    const rows = await appendEvents(4);
    const r = await verifyAuditChain(db(), { from: rows[1]!.seq! });
    expect(r).toMatchObject({ ok: true, checkedEvents: (await head()).seq - rows[1]!.seq! + 1 });
  });

  it("a rolled-back change takes its event's position back with it", async () => {
    const targetId = `tgt_${uniqueTag()}`;
    const before = await head();
    await expect(
      db().$transaction(async (tx) => {
        await recordAuditEvent(tx, event(targetId, 0));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await head()).toMatchObject({ seq: before.seq, hash: before.hash });
    await recordAuditEvent(db(), event(targetId, 1));
    const [row] = await db().auditEvent.findMany({ where: { targetId } });
    expect(row).toMatchObject({ seq: before.seq + 1, prevHash: before.hash });
    expect(await problemOf()).toBeNull();
  });

  it("the batcher and recordAuditEvent, all at once, interleave into one unbroken chain", async () => {
    const targetId = `tgt_${uniqueTag()}`;
    const before = await head();
    const ids = await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => auditBatcher().record(event(targetId, i))),
      ...Array.from({ length: 20 }, (_, i) => recordAuditEvent(db(), event(targetId, 200 + i))),
      ...Array.from({ length: 20 }, (_, i) => db().$transaction((tx) => recordAuditEvent(tx, event(targetId, 220 + i)))),
    ]);
    const rows = await db().auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => before.seq + 1 + i));
    // the two paths really did interleave: a batcher row sits between recordAuditEvent rows
    const viaRecord = rows.map((r) => (JSON.parse(r.details) as { i: number }).i >= 200);
    expect(viaRecord.indexOf(true)).toBeLessThan(viaRecord.lastIndexOf(false));
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, checkedEvents: before.seq + rows.length });
  });

  it.skipIf(isPostgres)("the append worker waits out another connection's write lock and commits right after it", async () => {
    const targetId = `tgt_${uniqueTag()}`;
    await auditBatcher().record(event(targetId, 0)); // the worker is up
    const file = absoluteDatabaseUrl(process.env.DATABASE_URL!).slice("file:".length);
    // Asked again every quarter millisecond, the worker commits within a few ms of the release. SQLite's own busy
    // handler, after its first quarter second, sleeps 100 ms between tries: 0-100 ms late, so four of five holds of
    // different lengths would come in under the bound by chance less than once in a hundred runs. One may be late:
    // on this VM the whole machine sometimes stalls for 10-30 ms, and a release can fall into such a stall.
    const late: number[] = [];
    for (const [i, holdMs] of [950, 1_010, 1_070, 1_130, 1_190].entries()) {
      const blocker = new Database(file);
      blocker.exec("BEGIN IMMEDIATE"); // the write lock, as a Prisma transaction holds it
      let settled = false;
      const pending = auditBatcher().record(event(targetId, 1 + i)).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, holdMs));
      expect(settled).toBe(false);
      const released = performance.now();
      blocker.exec("COMMIT");
      blocker.close();
      const id = await pending;
      late.push(performance.now() - released);
      expect(await db().auditEvent.findUnique({ where: { id } })).toMatchObject({ targetId });
    }
    expect(late.filter((ms) => ms >= 20).length, `late by ${late.map((ms) => ms.toFixed(1)).join(", ")} ms`).toBeLessThanOrEqual(1);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it("another process appending at the same time does not fork the chain", async () => {
    const targetId = `tgt_${uniqueTag()}`;
    const child = spawn(process.execPath, [path.join(repoRoot, "tests/helpers/audit-append-process.mjs"), "120", targetId], {
      cwd: repoRoot,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // keep appending here until the child is done, so that both really write at the same time
    let mine = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      await Promise.all([auditBatcher().record(event(targetId, 1000 + mine)), recordAuditEvent(db(), event(targetId, 2000 + mine))]);
      mine += 2;
    }
    expect(await exited, output).toBe(0);
    const rows = await db().auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
    expect(rows.filter((r) => r.actorId === "child")).toHaveLength(120);
    expect(rows.filter((r) => r.actorId === "test")).toHaveLength(mine);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    expect(await problemOf()).toBeNull();
  });

  it.skipIf(!isPostgres)("two clients with pools of their own, appending concurrently on PostgreSQL, keep one chain", async () => {
    const other = new PgClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }) }) as unknown as DbClient;
    try {
      const targetId = `tgt_${uniqueTag()}`;
      const before = await head();
      const batch = (client: DbClient, from: number) => inTransaction(client, (tx) => appendToChain(tx, [0, 1, 2].map((k) => toAuditRow(event(targetId, from + k)))));
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? batch(other, i * 10) : i % 4 ? batch(db(), i * 10) : recordAuditEvent(other, event(targetId, i * 10)))),
      );
      const rows = await db().auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" } });
      expect(rows.length).toBe(10 * 1 + 30 * 3);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
      expect((await head()).seq).toBe(before.seq + rows.length);
      expect(await problemOf()).toBeNull();
    } finally {
      await other.$disconnect();
    }
  });

  it(`signs a checkpoint every ${CHECKPOINT_EVERY} events, and on demand for the head`, async () => {
    const before = await head();
    const targetId = `tgt_${uniqueTag()}`;
    await Promise.all(Array.from({ length: CHECKPOINT_EVERY }, (_, i) => auditBatcher().record(event(targetId, i))));
    const after = await head();
    const made = await db().auditCheckpoint.findMany({ where: { seq: { gt: before.seq, lte: after.seq } } });
    expect(made.length).toBeGreaterThanOrEqual(1);
    const seq = await checkpointHead(db());
    expect(seq === null ? made.some((c) => c.seq === after.seq) : seq === after.seq).toBe(true);
    const r = await verifyAuditChain(db());
    expect(r.ok).toBe(true);
    expect(r.checkpointsVerified).toBeGreaterThanOrEqual(made.length);
  });
});

describe("tampering is found and the row named", () => {
  it("a row whose details were altered", async () => {
    const [, row] = await appendEvents(3);
    await tampered(
      () => db().$executeRaw`UPDATE "AuditEvent" SET "details" = ${'{"i":99}'} WHERE "id" = ${row!.id}`,
      () => db().$executeRaw`UPDATE "AuditEvent" SET "details" = ${row!.details} WHERE "id" = ${row!.id}`,
      async () =>
        expect(await problemOf()).toEqual({ kind: "altered", seq: row!.seq, eventId: row!.id, message: `Row ${row!.id} (seq ${row!.seq}) was altered: its content does not match its hash` }),
    );
  });

  it("a row altered with its own hash recomputed: the next row's link names it", async () => {
    const [, row] = await appendEvents(3);
    const forged = { ...row!, seq: row!.seq!, result: "failure" };
    await tampered(
      () => db().$executeRaw`UPDATE "AuditEvent" SET "result" = 'failure', "hash" = ${eventHash(row!.prevHash!, forged)} WHERE "id" = ${row!.id}`,
      () => db().$executeRaw`UPDATE "AuditEvent" SET "result" = ${row!.result}, "hash" = ${row!.hash} WHERE "id" = ${row!.id}`,
      async () => expect(await problemOf()).toMatchObject({ kind: "altered", seq: row!.seq, eventId: row!.id }),
    );
  });

  it("the last row altered with its hash recomputed: the head names it", async () => {
    // off a checkpoint's position: a row there is named by its signed checkpoint first (checkpoint_mismatch)
    let [row] = await appendEvents(1);
    if (row!.seq! % CHECKPOINT_EVERY === 0) [row] = await appendEvents(1);
    const forged = { ...row!, seq: row!.seq!, actorLabel: "someone else" };
    await tampered(
      () => db().$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = 'someone else', "hash" = ${eventHash(row!.prevHash!, forged)} WHERE "id" = ${row!.id}`,
      () => db().$executeRaw`UPDATE "AuditEvent" SET "actorLabel" = ${row!.actorLabel}, "hash" = ${row!.hash} WHERE "id" = ${row!.id}`,
      async () =>
        expect(await problemOf()).toEqual({
          kind: "altered",
          seq: row!.seq,
          eventId: row!.id,
          message: `Row ${row!.id} (seq ${row!.seq}) was altered or replaced: the chain head records a different hash`,
        }),
    );
  });

  it("a deleted row", async () => {
    const [, gone, next] = await appendEvents(3);
    await tampered(
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${gone!.id}`,
      () => db().auditEvent.create({ data: gone! }),
      async () =>
        expect(await problemOf()).toEqual({
          kind: "deleted",
          seq: gone!.seq,
          eventId: next!.id,
          message: `Rows deleted before seq ${next!.seq} (row ${next!.id}): seq ${gone!.seq} is missing`,
        }),
    );
  });

  it("the last rows deleted", async () => {
    const [kept, gone1, gone2] = await appendEvents(3);
    await tampered(
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" IN (${gone1!.id}, ${gone2!.id})`,
      () => db().auditEvent.createMany({ data: [gone1!, gone2!] }),
      async () =>
        expect(await problemOf()).toEqual({
          kind: "deleted",
          seq: gone1!.seq,
          eventId: kept!.id,
          message: `Rows deleted after seq ${kept!.seq} (row ${kept!.id}): the chain head is at seq ${gone2!.seq}`,
        }),
    );
  });

  it("a forged row inserted without a position", async () => {
    await appendEvents(1);
    const id = newId("auditEvent");
    await tampered(
      () =>
        db().$executeRaw`INSERT INTO "AuditEvent" ("id", "createdAt", "actorType", "actorId", "actorLabel", "action", "result", "details") VALUES (${id}, ${new Date()}, 'user', 'usr_x', 'alice', 'grant.revoke', 'success', '{}')`,
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${id}`,
      async () =>
        expect(await problemOf()).toEqual({ kind: "inserted", seq: null, eventId: id, message: `Row ${id} is not in the chain but is newer than chained rows: inserted` }),
    );
  });

  it("a forged row chained correctly after the last one, without the head's lock", async () => {
    const [last] = await appendEvents(1);
    const row = { ...toAuditRow(event("tgt_forged", 0)), seq: last!.seq! + 1 };
    const hash = eventHash(last!.hash!, row);
    await tampered(
      () =>
        db().$executeRaw`INSERT INTO "AuditEvent" ("id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "seq", "prevHash", "hash") VALUES (${row.id}, ${row.createdAt}, ${row.actorType}, ${row.actorId}, ${row.actorLabel}, ${row.action}, ${row.targetType}, ${row.targetId}, ${row.result}, ${row.details}, ${row.seq}, ${last!.hash}, ${hash})`,
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${row.id}`,
      async () => expect(await problemOf()).toMatchObject({ kind: "inserted", seq: row.seq, eventId: row.id }),
    );
  });

  it("a row replaced by a forged one in its position, chained to the row before", async () => {
    const [before, original] = await appendEvents(3);
    const forged = { ...toAuditRow(event("tgt_forged", 0)), seq: original!.seq! };
    const hash = eventHash(before!.hash!, forged);
    await tampered(
      async () => {
        await db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${original!.id}`;
        await db().$executeRaw`INSERT INTO "AuditEvent" ("id", "createdAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "result", "details", "seq", "prevHash", "hash") VALUES (${forged.id}, ${forged.createdAt}, ${forged.actorType}, ${forged.actorId}, ${forged.actorLabel}, ${forged.action}, ${forged.targetType}, ${forged.targetId}, ${forged.result}, ${forged.details}, ${forged.seq}, ${before!.hash}, ${hash})`;
      },
      async () => {
        await db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${forged.id}`;
        await db().auditEvent.create({ data: original! });
      },
      async () => expect(await problemOf()).toMatchObject({ kind: "altered", seq: forged.seq, eventId: forged.id }),
    );
  });

  it("old rows without a position are unchained legacy rows, not tampering", async () => {
    await appendEvents(1);
    const id = newId("auditEvent", Date.UTC(1999, 0, 1));
    await tampered(
      () =>
        db().$executeRaw`INSERT INTO "AuditEvent" ("id", "createdAt", "actorType", "action", "result", "details") VALUES (${id}, ${new Date(Date.UTC(1999, 0, 1))}, 'system', 'legacy.event', 'success', '{}')`,
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${id}`,
      async () => expect(await verifyAuditChain(db())).toMatchObject({ ok: true, problem: null, legacyEvents: 1 }),
    );
  });

  it("a forged checkpoint (its signature is not made with the master key)", async () => {
    const [, row] = await appendEvents(3);
    await tampered(
      () => db().$executeRaw`INSERT INTO "AuditCheckpoint" ("seq", "hash", "signature", "createdAt") VALUES (${row!.seq}, ${row!.hash}, ${"ab".repeat(32)}, ${new Date()})`,
      () => db().$executeRaw`DELETE FROM "AuditCheckpoint" WHERE "seq" = ${row!.seq}`,
      async () =>
        expect(await problemOf()).toEqual({
          kind: "checkpoint_mismatch",
          seq: row!.seq,
          eventId: row!.id,
          message: `The checkpoint at seq ${row!.seq} has an invalid signature: forged or altered (or signed with another master key)`,
        }),
    );
  });

  it("a real checkpoint whose hash was changed", async () => {
    const [row] = await appendEvents(1);
    expect(await checkpointHead(db())).toBe(row!.seq);
    await tampered(
      () => db().$executeRaw`UPDATE "AuditCheckpoint" SET "hash" = ${"0".repeat(64)} WHERE "seq" = ${row!.seq}`,
      () => db().$executeRaw`UPDATE "AuditCheckpoint" SET "hash" = ${row!.hash} WHERE "seq" = ${row!.seq}`,
      async () => expect(await problemOf()).toMatchObject({ kind: "checkpoint_mismatch", seq: row!.seq, eventId: row!.id }),
    );
  });

  it("history rewritten consistently (every hash recomputed) up to a signed checkpoint", async () => {
    const [, altered, signed] = await appendEvents(3);
    expect(await checkpointHead(db())).toBe(signed!.seq);
    await appendEvents(2); // rows after the checkpoint, left as they are
    const newAltered = { ...altered!, seq: altered!.seq!, details: '{"i":"rewritten"}' };
    const alteredHash = eventHash(altered!.prevHash!, newAltered);
    const signedHash = eventHash(alteredHash, { ...signed!, seq: signed!.seq! });
    await tampered(
      async () => {
        await db().$executeRaw`UPDATE "AuditEvent" SET "details" = ${newAltered.details}, "hash" = ${alteredHash} WHERE "id" = ${altered!.id}`;
        await db().$executeRaw`UPDATE "AuditEvent" SET "prevHash" = ${alteredHash}, "hash" = ${signedHash} WHERE "id" = ${signed!.id}`;
      },
      async () => {
        await db().$executeRaw`UPDATE "AuditEvent" SET "details" = ${altered!.details}, "hash" = ${altered!.hash} WHERE "id" = ${altered!.id}`;
        await db().$executeRaw`UPDATE "AuditEvent" SET "prevHash" = ${signed!.prevHash}, "hash" = ${signed!.hash} WHERE "id" = ${signed!.id}`;
      },
      async () =>
        expect(await problemOf()).toEqual({
          kind: "checkpoint_mismatch",
          seq: signed!.seq,
          eventId: signed!.id,
          message: `Row ${signed!.id} (seq ${signed!.seq}) does not match the signed checkpoint: the chain up to it was rewritten`,
        }),
    );
  });
});

describe("surfaces", () => {
  it("POST /api/v1/audit-events/verify: admins (API key) and auditors verify; a broken chain names the row", async () => {
    const [, row] = await appendEvents(3);
    const { key } = await makeApiKey();
    const clean = await verifyRoute(apiRequest("/api/v1/audit-events/verify", { method: "POST", key }));
    expect(clean.status).toBe(200);
    expect(await json(clean)).toMatchObject({ ok: true, problem: null, checkedEvents: (await head()).seq });

    const { user } = await makeUser({ role: "auditor" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    await tampered(
      () => db().$executeRaw`UPDATE "AuditEvent" SET "ip" = '10.6.6.6' WHERE "id" = ${row!.id}`,
      () => db().$executeRaw`UPDATE "AuditEvent" SET "ip" = ${row!.ip} WHERE "id" = ${row!.id}`,
      async () => {
        const res = await verifyRoute(apiRequest(`/api/v1/audit-events/verify?from=${row!.seq}`, { method: "POST", session, headers: { origin: BASE_URL } }));
        expect(res.status).toBe(200);
        expect(await json(res)).toMatchObject({ ok: false, problem: { kind: "altered", seq: row!.seq, eventId: row!.id } });
      },
    );
  });

  it("POST /api/v1/audit-events/verify: viewers and approvers may not; a bad ?from is a 400", async () => {
    for (const role of ["viewer", "approver"] as const) {
      const { user } = await makeUser({ role });
      const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
      const res = await verifyRoute(apiRequest("/api/v1/audit-events/verify", { method: "POST", session, headers: { origin: BASE_URL } }));
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
    }
    const { key } = await makeApiKey();
    const bad = await verifyRoute(apiRequest("/api/v1/audit-events/verify?from=0", { method: "POST", key }));
    expect(bad.status).toBe(400);
  });

  it("deputy audit verify: exit 0 on an intact chain, exit 1 naming the row on a broken one", async () => {
    const [, gone, next] = await appendEvents(3);
    const intact = await deputy(["audit", "verify", "--json"]);
    expect(intact.code, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, problem: null });
    await tampered(
      () => db().$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${gone!.id}`,
      () => db().auditEvent.create({ data: gone! }),
      async () => {
        const broken = await deputy(["audit", "verify"]);
        expect(broken.code).toBe(1);
        expect(broken.stdout).toContain(`audit chain BROKEN (deleted): Rows deleted before seq ${next!.seq} (row ${next!.id}): seq ${gone!.seq} is missing`);
      },
    );
  });
});

afterAll(async () => {
  // the chain this file leaves behind is whole
  expect(await problemOf()).toBeNull();
});
