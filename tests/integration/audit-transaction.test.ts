// Audit rows commit in the same transaction as the change they describe: both or neither.
import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createUser } from "@/lib/users/create-user";
import { testActor, TEST_PASSWORD, uniqueEmail, uniqueTag } from "../helpers/factories";

const db = () => getDb();

/** user.create events about one email (details are canonical JSON text, so the email appears verbatim). */
const createEventsFor = (email: string) => db().auditEvent.findMany({ where: { action: "user.create", details: { contains: `"email":"${email}"` } } });

describe("audit in the change's transaction", () => {
  it("createUser writes user.create with {email, role} and no password", async () => {
    const email = uniqueEmail("audited");
    const { user } = await createUser(db(), { email, role: "auditor", password: TEST_PASSWORD }, testActor);
    const events = await db().auditEvent.findMany({ where: { targetId: user.id } });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      action: "user.create",
      actorType: "system",
      actorId: "test",
      actorLabel: "test",
      targetType: "user",
      targetId: user.id,
      result: "success",
      ip: null,
    });
    expect(event!.id).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(event!.details).toBe(`{"email":"${email}","role":"auditor"}`);
    expect(event!.details).not.toContain(TEST_PASSWORD);
    expect(event!.details).not.toContain("scrypt");
  });

  it("a generated password does not reach the audit trail either", async () => {
    const email = uniqueEmail("generated");
    const { user, generatedPassword } = await createUser(db(), { email }, testActor);
    const [event] = await db().auditEvent.findMany({ where: { targetId: user.id } });
    expect(event!.details).toBe(`{"email":"${email}","role":"viewer"}`);
    expect(event!.details).not.toContain(generatedPassword!);
  });

  it("a transaction that fails after createUser leaves neither the user nor its audit row", async () => {
    const email = uniqueEmail("rolled-back");
    let createdId: string | undefined;
    await expect(
      db().$transaction(async (tx) => {
        const { user } = await createUser(tx, { email, role: "admin", password: TEST_PASSWORD }, testActor);
        createdId = user.id;
        // inside the transaction both exist
        expect(await tx.user.count({ where: { id: user.id } })).toBe(1);
        expect(await tx.auditEvent.count({ where: { targetId: user.id } })).toBe(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(createdId).toMatch(/^usr_/);
    expect(await db().user.count({ where: { OR: [{ id: createdId }, { email }] } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: createdId } })).toBe(0);
    expect(await createEventsFor(email)).toEqual([]);
  });

  it("a duplicate-email createUser adds no second user.create row", async () => {
    const email = uniqueEmail("dup");
    const { user } = await createUser(db(), { email, role: "viewer", password: TEST_PASSWORD }, testActor);
    await expect(createUser(db(), { email, role: "admin", password: TEST_PASSWORD }, testActor)).rejects.toMatchObject({
      code: "conflict",
      message: `A user with email ${email} already exists`,
    });
    const events = await createEventsFor(email);
    expect(events.map((e) => e.targetId)).toEqual([user.id]);
  });

  it("a duplicate inside a caller's transaction rolls back the caller's earlier work too", async () => {
    const first = uniqueEmail("tx-first");
    const taken = uniqueEmail("tx-taken");
    await createUser(db(), { email: taken }, testActor);
    await expect(
      db().$transaction(async (tx) => {
        await createUser(tx, { email: first }, testActor);
        await createUser(tx, { email: taken }, testActor);
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(await db().user.count({ where: { email: first } })).toBe(0);
    expect(await createEventsFor(first)).toEqual([]);
    expect(await createEventsFor(taken)).toHaveLength(1);
  });
});

describe("recordAuditEvent refuses secrets", () => {
  const secretKey = `dpk_${"A".repeat(43)}`;

  it.each([
    ["a field named password", { password: "hunter2" }, "audit details carry a secret-named field details.password"],
    ["a field named passwordHash", { passwordHash: "scrypt$..." }, "audit details carry a secret-named field details.passwordHash"],
    ["a nested field named token", { request: { token: "abc" } }, "audit details carry a secret-named field details.request.token"],
    ["a field named Secret (any case)", { Secret: "x" }, "audit details carry a secret-named field details.Secret"],
    ["an API key as a value", { note: secretKey }, "audit details carry a secret at details.note"],
    ["an API key inside an array", { keys: ["ok", secretKey] }, "audit details carry a secret at details.keys.1"],
    ["a client secret as a value", { from: `dps_${"b".repeat(30)}` }, "audit details carry a secret at details.from"],
  ])("refuses %s and writes nothing", async (_, details, message) => {
    const targetId = `tgt_${uniqueTag()}`;
    await expect(recordAuditEvent(db(), { actor: testActor, action: "test.secret", target: { type: "test", id: targetId }, details })).rejects.toThrow(
      message,
    );
    expect(await db().auditEvent.count({ where: { targetId } })).toBe(0);
  });

  it("records harmless details, in canonical JSON", async () => {
    const targetId = `tgt_${uniqueTag()}`;
    const now = new Date("2026-03-04T05:06:07.000Z");
    const id = await recordAuditEvent(
      db(),
      { actor: testActor, action: "test.record", target: { type: "test", id: targetId }, details: { z: 1, a: { keyName: "ci", dpk: "dpk_short" } }, ip: "10.0.0.1" },
      now,
    );
    const row = await db().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ createdAt: now, targetId, result: "success", ip: "10.0.0.1", details: '{"a":{"dpk":"dpk_short","keyName":"ci"},"z":1}' });
    // the id carries the event's time, so ids sort like createdAt
    expect(id.slice(0, 13)).toBe(newId("auditEvent", now.getTime()).slice(0, 13));
  });

  it.each(["user.Create", "user", "user.create.now", "User.create", "user-create", "user.create1"])("refuses the action name %j", async (action) => {
    const targetId = `tgt_${uniqueTag()}`;
    await expect(recordAuditEvent(db(), { actor: testActor, action: action as `${string}.${string}`, target: { type: "test", id: targetId } })).rejects.toThrow(
      `audit action must be noun.verb: ${action}`,
    );
    expect(await db().auditEvent.count({ where: { targetId } })).toBe(0);
  });

  it("a refused audit event rolls back the change it was to describe", async () => {
    const email = uniqueEmail("secret-audit");
    await expect(
      db().$transaction(async (tx) => {
        const user = await tx.user.create({ data: { id: newId("user"), email, role: "viewer" } });
        await recordAuditEvent(tx, { actor: testActor, action: "user.create", target: { type: "user", id: user.id }, details: { email, password: "hunter2!" } });
      }),
    ).rejects.toThrow("audit details carry a secret-named field details.password");
    expect(await db().user.count({ where: { email } })).toBe(0);
    expect(await createEventsFor(email)).toEqual([]);
  });
});
