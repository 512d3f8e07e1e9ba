// /api/v1/users through the real route handlers: input validation (each refusal creates nothing), duplicates,
// defaults, role and disabled changes, and the guards that keep the console from losing its last admin.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { POST as setPassword } from "@/app/api/v1/users/[userId]/password/route";
import { GET as getUserRoute, PATCH as patchUser } from "@/app/api/v1/users/[userId]/route";
import { GET as listUsersRoute, POST as createUserRoute } from "@/app/api/v1/users/route";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { updateUser } from "@/lib/users/update-user";
import { makeApiKey, makeUser, TEST_PASSWORD, uniqueEmail } from "../helpers/factories";
import { apiError, apiRequest, BASE_URL, json, routeParams, sessionCookie } from "../helpers/http";

let adminKey: string;
beforeAll(async () => {
  adminKey = (await makeApiKey("users-api tests")).key;
});

const countUsers = (email: string) => getDb().user.count({ where: { email: email.toLowerCase() } });

/** Same-origin headers, as the console's own fetches send them. */
const SAME_ORIGIN = { origin: BASE_URL };

/** PATCH as the admin API key, unless a session is given. */
function patch(userId: string, body: unknown, auth: { session?: string; headers?: Record<string, string> } = {}) {
  const credentials = auth.session ? auth : { key: adminKey };
  return patchUser(apiRequest(`/api/v1/users/${userId}`, { method: "PATCH", json: body, ...credentials }), routeParams({ userId }));
}

function expectNoSecrets(text: string) {
  expect(text).not.toContain("passwordHash");
  expect(text).not.toContain("scrypt$");
  expect(text).not.toContain("sessionEpoch");
}

describe("POST /api/v1/users", () => {
  it("creates a viewer by default, with a generated password shown once that signs in", async () => {
    const email = uniqueEmail("invite");
    const res = await createUserRoute(apiRequest("/api/v1/users", { key: adminKey, json: { email: `  ${email.toUpperCase()} ` } }));
    expect(res.status).toBe(201);
    const text = await res.text();
    expectNoSecrets(text);
    const body = JSON.parse(text);
    expect(body.user).toEqual({
      id: expect.stringMatching(/^usr_[0-9a-z]{26}$/),
      email,
      name: null,
      role: "viewer",
      status: "active",
      hasPassword: true,
      lastSignInAt: null,
      createdAt: expect.any(String),
    });
    expect(body.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const signedIn = await signInWithPassword(getDb(), { email, password: body.generatedPassword, address: null });
    expect(signedIn?.id).toBe(body.user.id);
  });

  it("creates with a given role, name and password; no password comes back", async () => {
    const email = uniqueEmail("approver");
    const res = await createUserRoute(
      apiRequest("/api/v1/users", { key: adminKey, json: { email, name: "Ada Approver", role: "approver", password: TEST_PASSWORD } }),
    );
    expect(res.status).toBe(201);
    const text = await res.text();
    expectNoSecrets(text);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(JSON.parse(text)).toMatchObject({ user: { email, name: "Ada Approver", role: "approver" }, generatedPassword: null });
  });

  // each case builds its body around a fresh email, then checks that no user with that email came to be
  it.each([
    ["a missing email", (_: string) => ({ role: "viewer", name: "No Email" }), "email: Invalid input: expected string, received undefined", [{ path: "email", message: "Invalid input: expected string, received undefined" }]],
    ["a malformed email", (e: string) => ({ email: e.replace("@", " at ") }), "email: must be an email address", [{ path: "email", message: "must be an email address" }]],
    ["an unknown role", (e: string) => ({ email: e, role: "root" }), "role: must be one of admin, approver, auditor, viewer", [{ path: "role", message: "must be one of admin, approver, auditor, viewer" }]],
    ["a short password", (e: string) => ({ email: e, password: "short" }), "password: must be at least 12 characters", [{ path: "password", message: "must be at least 12 characters" }]],
    ["a JSON array", (e: string) => [{ email: e }], "body: Invalid input: expected object, received array", [{ path: "", message: "Invalid input: expected object, received array" }]],
  ])("refuses %s with 400 and creates nothing", async (_, build, message, details) => {
    const email = uniqueEmail("invalid");
    const before = await getDb().user.count();
    const res = await createUserRoute(apiRequest("/api/v1/users", { key: adminKey, json: build(email) }));
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("validation_failed", message, details));
    expect(await countUsers(email)).toBe(0);
    // files run one at a time, so nobody else adds users meanwhile
    expect(await getDb().user.count()).toBe(before);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const email = uniqueEmail("nonjson");
    const res = await createUserRoute(
      apiRequest("/api/v1/users", { key: adminKey, body: `{"email":"${email}",`, headers: { "content-type": "application/json" } }),
    );
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual(apiError("bad_request", "Request body is not valid JSON"));
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses another content type with 415", async () => {
    const email = uniqueEmail("form");
    const res = await createUserRoute(
      apiRequest("/api/v1/users", { key: adminKey, body: JSON.stringify({ email }), headers: { "content-type": "text/plain" } }),
    );
    expect(res.status).toBe(415);
    expect(await json(res)).toEqual(apiError("unsupported_media_type", "Send the body as application/json"));
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses a body over DEPUTY_MAX_JSON_BYTES with 413, declared or not", async () => {
    const max = env().DEPUTY_MAX_JSON_BYTES;
    const email = uniqueEmail("big");
    const big = JSON.stringify({ email, name: "x".repeat(max) });
    const streamed = await createUserRoute(apiRequest("/api/v1/users", { key: adminKey, body: big, headers: { "content-type": "application/json" } }));
    expect(streamed.status).toBe(413);
    expect(await json(streamed)).toEqual(apiError("payload_too_large", `Request body is larger than ${max} bytes`));
    const declared = await createUserRoute(
      apiRequest("/api/v1/users", {
        key: adminKey,
        body: JSON.stringify({ email }),
        headers: { "content-type": "application/json", "content-length": String(max + 1) },
      }),
    );
    expect(declared.status).toBe(413);
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses a duplicate email (in any case) with 409, leaving the first user as it was", async () => {
    const { user } = await makeUser({ role: "auditor" });
    for (const email of [user.email, user.email.toUpperCase()]) {
      const res = await createUserRoute(apiRequest("/api/v1/users", { key: adminKey, json: { email, role: "admin" } }));
      expect(res.status).toBe(409);
      expect(await json(res)).toEqual(apiError("conflict", `A user with email ${user.email} already exists`));
    }
    expect(await countUsers(user.email)).toBe(1);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("auditor");
  });

  it("is for admins only: a viewer's session gets 403 and creates nothing", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    const email = uniqueEmail("by-viewer");
    const res = await createUserRoute(apiRequest("/api/v1/users", { session, json: { email }, headers: SAME_ORIGIN }));
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual(apiError("forbidden", "Your role may not do this"));
    expect(await countUsers(email)).toBe(0);
  });

  it("refuses a cookie-authenticated write from another origin, or with no origin at all (CSRF)", async () => {
    const { user } = await makeUser({ role: "admin" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    for (const headers of [{ origin: "https://evil.example" }, {}, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
      const email = uniqueEmail("csrf");
      const res = await createUserRoute(apiRequest("/api/v1/users", { session, json: { email }, headers }));
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual(apiError("forbidden", "Cross-site request refused"));
      expect(await countUsers(email)).toBe(0);
    }
    const email = uniqueEmail("same-origin");
    const ok = await createUserRoute(apiRequest("/api/v1/users", { session, json: { email }, headers: SAME_ORIGIN }));
    expect(ok.status).toBe(201);
    // the session user is the audited actor
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: (await json(ok)).user.id } });
    expect([event.actorType, event.actorId]).toEqual(["user", user.id]);
  });
});

describe("GET /api/v1/users", () => {
  it("lists and gets users without hashes", async () => {
    const { user } = await makeUser({ role: "approver" });
    const list = await listUsersRoute(apiRequest(`/api/v1/users?q=${encodeURIComponent(user.email)}`, { key: adminKey }));
    expect(list.status).toBe(200);
    const text = await list.text();
    expectNoSecrets(text);
    expect(JSON.parse(text).users.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const one = await getUserRoute(apiRequest(`/api/v1/users/${user.id}`, { key: adminKey }), routeParams({ userId: user.id }));
    expect(one.status).toBe(200);
    const oneText = await one.text();
    expectNoSecrets(oneText);
    expect(JSON.parse(oneText)).toMatchObject({ id: user.id, email: user.email, role: "approver", hasPassword: true });
  });

  // BUG on PostgreSQL (lib/users/list-users.ts:15, `name: { contains: q.q }`): the name match is case-sensitive
  // there, while SQLite's LIKE ignores ASCII case, so ?q=ada finds "Ada Lovelace" on SQLite only (the email match
  // lowercases q and is the same on both). Remove the PostgreSQL `.fails` when fixed.
  it("finds users by name whatever its case, on every provider", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const name = `Ada ${user.id.slice(-10)}`;
    await getDb().user.update({ where: { id: user.id }, data: { name } });
    for (const q of [name, name.toLowerCase(), name.toUpperCase()]) {
      const res = await listUsersRoute(apiRequest(`/api/v1/users?q=${encodeURIComponent(q)}`, { key: adminKey }));
      expect((await json(res)).users.map((u: { id: string }) => u.id), q).toEqual([user.id]);
    }
  });

  it("answers 404 for an unknown user", async () => {
    const res = await getUserRoute(apiRequest("/api/v1/users/usr_nope", { key: adminKey }), routeParams({ userId: "usr_nope" }));
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "User not found"));
  });
});

describe("PATCH /api/v1/users/{userId}", () => {
  it("changes the role and audits it", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const res = await patch(user.id, { role: "auditor" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expectNoSecrets(text);
    expect(JSON.parse(text)).toMatchObject({ id: user.id, role: "auditor", status: "active" });
    const events = await getDb().auditEvent.findMany({ where: { action: "user.change_role", targetId: user.id } });
    expect(events.map((e) => JSON.parse(e.details))).toEqual([{ from: "viewer", to: "auditor" }]);
  });

  it("disabling bumps the session epoch, ends existing sessions, and is audited; enabling does not revive them", async () => {
    const { user } = await makeUser({ role: "approver" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    expect((await me(apiRequest("/api/v1/me", { session }))).status).toBe(200);

    const res = await patch(user.id, { disabled: true });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: user.id, status: "disabled" });
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionEpoch).toBe(user.sessionEpoch + 1);
    expect(row.disabledAt).not.toBeNull();
    expect(await getDb().auditEvent.count({ where: { action: "user.disable", targetId: user.id } })).toBe(1);

    const refused = await me(apiRequest("/api/v1/me", { session }));
    expect(refused.status).toBe(401);
    expect(await json(refused)).toEqual(apiError("unauthorized", "Sign in or send an API key"));

    // disabling twice changes nothing more
    await patch(user.id, { disabled: true });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).sessionEpoch).toBe(user.sessionEpoch + 1);
    expect(await getDb().auditEvent.count({ where: { action: "user.disable", targetId: user.id } })).toBe(1);

    const enabled = await patch(user.id, { disabled: false });
    expect(await json(enabled)).toMatchObject({ status: "active" });
    expect((await me(apiRequest("/api/v1/me", { session }))).status).toBe(401);
  });

  it("refuses unknown fields and bad values with 400, changing nothing", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const unknown = await patch(user.id, { role: "admin", passwordHash: "x" });
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toEqual(apiError("validation_failed", 'body: Unrecognized key: "passwordHash"', [{ path: "", message: 'Unrecognized key: "passwordHash"' }]));
    const bad = await patch(user.id, { disabled: "yes" });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual(
      apiError("validation_failed", "disabled: Invalid input: expected boolean, received string", [{ path: "disabled", message: "Invalid input: expected boolean, received string" }]),
    );
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("viewer");
  });

  it("answers 404 for an unknown user", async () => {
    const res = await patch("usr_nope", { role: "viewer" });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual(apiError("not_found", "User not found"));
  });

  it("an admin cannot demote or disable themselves (409), even while other admins exist", async () => {
    await makeUser({ role: "admin" }); // another active admin: the self guard, not the last-admin guard, answers
    const { user } = await makeUser({ role: "admin" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    for (const body of [{ role: "viewer" }, { disabled: true }, { role: "approver", disabled: true }]) {
      const res = await patch(user.id, body, { session, headers: SAME_ORIGIN });
      expect(res.status).toBe(409);
      expect(await json(res)).toEqual(apiError("conflict", "You cannot disable or demote your own account; ask another admin"));
    }
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect([row.role, row.disabledAt, row.sessionEpoch]).toEqual(["admin", null, user.sessionEpoch]);
    // renaming oneself, or "changing" to the same role, is fine
    const rename = await patch(user.id, { name: "Still Admin", role: "admin" }, { session, headers: SAME_ORIGIN });
    expect(rename.status).toBe(200);
    expect(await json(rename)).toMatchObject({ name: "Still Admin", role: "admin" });
  });

  it("an admin may demote another admin while one remains", async () => {
    const { actor } = await makeUser({ role: "admin" });
    const { user: other } = await makeUser({ role: "admin" });
    const view = await updateUser(getDb(), other.id, { role: "viewer" }, actor);
    expect(view.role).toBe("viewer");
  });

  it("the last active admin cannot be demoted or disabled (409)", async () => {
    const { user: last } = await makeUser({ role: "admin" });
    const { actor: someone } = await makeUser({ role: "viewer" });
    // The database is shared with other tests, which made admins of their own. Inside one transaction, make `last`
    // the only active admin, try the change there, and always roll back: no other test's data changes.
    class RolledBack {
      constructor(readonly outcome: unknown) {}
    }
    for (const body of [{ role: "viewer" as const }, { disabled: true }]) {
      const rolledBack = await getDb()
        .$transaction(async (tx) => {
          await tx.user.updateMany({ where: { role: "admin", disabledAt: null, id: { not: last.id } }, data: { disabledAt: new Date() } });
          expect(await tx.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
          const outcome = await updateUser(tx, last.id, body, someone).then(
            (view) => view,
            (e: unknown) => e,
          );
          throw new RolledBack(outcome);
        })
        .catch((e: unknown) => e);
      expect(rolledBack).toBeInstanceOf(RolledBack);
      expect((rolledBack as RolledBack).outcome).toMatchObject({ code: "conflict", message: "This is the last active admin; promote another user first" });
    }
    const row = await getDb().user.findUniqueOrThrow({ where: { id: last.id } });
    expect([row.role, row.disabledAt]).toEqual(["admin", null]);
    expect(await getDb().auditEvent.count({ where: { targetId: last.id, action: { in: ["user.change_role", "user.disable"] } } })).toBe(0);
  });
});

describe("POST /api/v1/users/{userId}/password", () => {
  it("sets a password, ends sessions, and never echoes the password", async () => {
    const { user } = await makeUser({ role: "viewer" });
    const session = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    const newPassword = "a brand new passphrase";
    const res = await setPassword(
      apiRequest(`/api/v1/users/${user.id}/password`, { key: adminKey, json: { password: newPassword } }),
      routeParams({ userId: user.id }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ generatedPassword: null });
    expect(text).not.toContain(newPassword);
    expect((await me(apiRequest("/api/v1/me", { session }))).status).toBe(401);
    expect(await signInWithPassword(getDb(), { email: user.email, password: newPassword, address: null })).not.toBeNull();
  });
});

describe("two admins demoting each other at once", () => {
  it("never leaves the console without an active admin", async () => {
    // the race needs two concurrent transactions, so these two must be the only active admins for real: other
    // admins step down for the duration and are restored afterwards
    const others = await getDb().user.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } });
    await getDb().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "approver" } });
    try {
      for (let round = 0; round < 4; round++) {
        const a = await makeUser({ role: "admin" });
        const b = await makeUser({ role: "admin" });
        await Promise.allSettled([
          updateUser(getDb(), b.user.id, { role: "viewer" }, a.actor),
          updateUser(getDb(), a.user.id, { disabled: true }, b.actor),
        ]);
        expect(await getDb().user.count({ where: { role: "admin", disabledAt: null } })).toBeGreaterThanOrEqual(1);
        await getDb().user.updateMany({ where: { id: { in: [a.user.id, b.user.id] } }, data: { role: "viewer" } });
      }
    } finally {
      await getDb().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "admin" } });
    }
  });
});
