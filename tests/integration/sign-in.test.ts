// Password sign-in (lib/auth/sign-in-with-password.ts) with its throttle, and session cookies (lib/auth/session.ts).
// Time is passed in as `now`, never slept.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { userFromSessionCookies } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { getDb } from "@/lib/db/client";
import { setUserPassword } from "@/lib/users/set-user-password";
import { updateUser } from "@/lib/users/update-user";
import { makeUser, testActor, TEST_PASSWORD, uniqueAddress, uniqueEmail } from "../helpers/factories";
import { sessionCookie } from "../helpers/http";

const db = () => getDb();
const WRONG = "not the password at all";
// The policy, written out (not read from lib/auth/throttle.ts), so that a change to it must change this test too.
const ACCOUNT_THRESHOLD = 5;
const ADDRESS_THRESHOLD = 20;
const WINDOW_MS = 15 * 60_000;

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

function signIn(email: string, password: string, now: Date, address: string | null = uniqueAddress()) {
  return signInWithPassword(db(), { email, password, address }, now);
}

async function rateLimited(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("sign-in was not rate limited");
}

function expectRateLimited(e: AppError, seconds: number) {
  expect(e.code).toBe("rate_limited");
  expect(e.status).toBe(429);
  expect(e.message).toBe(`Too many failed sign-ins; try again in ${seconds} s`);
  expect(e.details).toEqual({ retryAfterSeconds: seconds });
  expect(e.headers).toEqual({ "Retry-After": String(seconds) });
}

const signInEvents = (where: { actorId?: string; actorLabel?: string }) =>
  db().auditEvent.findMany({ where: { action: "auth.sign_in", ...where }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

const throttleRow = (key: string) => db().signInThrottle.findUnique({ where: { key } });

describe("signInWithPassword", () => {
  it("signs in with the right password: the user, lastSignInAt, and a success audit row", async () => {
    const { user } = await makeUser({ role: "approver" });
    const now = new Date();
    const address = uniqueAddress();
    const signedIn = await signIn(`  ${user.email.toUpperCase()} `, TEST_PASSWORD, now, address);
    expect(signedIn).toEqual({ id: user.id, email: user.email, name: null, sessionEpoch: 0 });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toEqual(now);
    const events = await signInEvents({ actorId: user.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "user", actorLabel: user.email, result: "success", ip: address });
    expect(JSON.parse(events[0]!.details)).toEqual({ method: "password" });
  });

  it.each([
    ["a wrong password", "wrong_password", { disabled: false }, WRONG],
    ["a disabled user, even with the right password", "disabled", { disabled: true }, TEST_PASSWORD],
  ])("refuses %s with null and a failure row naming the reason", async (_, reason, opts, password) => {
    const { user } = await makeUser(opts);
    const address = uniqueAddress();
    expect(await signIn(user.email, password, new Date(), address)).toBeNull();
    const events = await signInEvents({ actorId: user.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "user", actorLabel: user.email, result: "failure", ip: address });
    expect(JSON.parse(events[0]!.details)).toEqual({ method: "password", reason });
    expect(events[0]!.details).not.toContain(password);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeNull();
  });

  it("refuses an unknown email with null and an anonymous failure row", async () => {
    const email = uniqueEmail("nobody");
    expect(await signIn(email, WRONG, new Date())).toBeNull();
    const events = await signInEvents({ actorLabel: email });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", actorId: "anonymous", result: "failure" });
    expect(JSON.parse(events[0]!.details)).toEqual({ method: "password", reason: "unknown_email" });
    expect(events[0]!.details).not.toContain(WRONG);
  });

  it("a user without a password (SSO-only or invited) cannot sign in with any password", async () => {
    const { user } = await makeUser();
    await db().user.update({ where: { id: user.id }, data: { passwordHash: null } });
    expect(await signIn(user.email, TEST_PASSWORD, new Date())).toBeNull();
    expect(await signIn(user.email, "", new Date())).toBeNull();
  });
});

describe("sign-in throttle", () => {
  it("after 5 failures for an account, the next attempt is rate limited even with the right password", async () => {
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < ACCOUNT_THRESHOLD; i++) {
      // from a new address each time: the account key alone must block
      expect(await signIn(user.email, WRONG, at(t0, i * 1000))).toBeNull();
    }
    const blockedAt = at(t0, 4000);
    expect((await throttleRow(`email:${user.email}`))?.failures).toBe(5);

    expectRateLimited(await rateLimited(signIn(user.email, TEST_PASSWORD, blockedAt)), 30);
    expectRateLimited(await rateLimited(signIn(user.email.toUpperCase(), TEST_PASSWORD, at(blockedAt, 10_500))), 20);
    // a refused attempt is not evaluated, so it is neither audited nor counted
    expect(await signInEvents({ actorId: user.id })).toHaveLength(5);
    expect((await throttleRow(`email:${user.email}`))?.failures).toBe(5);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).lastSignInAt).toBeNull();
  });

  it("works again once the wait is over, and success clears the account's counter", async () => {
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < 5; i++) await signIn(user.email, WRONG, t0);
    await rateLimited(signIn(user.email, TEST_PASSWORD, at(t0, 29_999)));

    const later = at(t0, 30_001);
    expect(await signIn(user.email, TEST_PASSWORD, later)).toMatchObject({ id: user.id });
    expect(await throttleRow(`email:${user.email}`)).toBeNull();
    // a fresh count: four more failures do not block
    for (let i = 0; i < 4; i++) expect(await signIn(user.email, WRONG, later)).toBeNull();
    expect(await signIn(user.email, TEST_PASSWORD, later)).toMatchObject({ id: user.id });
  });

  it("each failure past the threshold doubles the wait", async () => {
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < 5; i++) await signIn(user.email, WRONG, t0);
    // wait out the first 30 s block, fail again: 60 s
    const t1 = at(t0, 31_000);
    expect(await signIn(user.email, WRONG, t1)).toBeNull();
    expectRateLimited(await rateLimited(signIn(user.email, TEST_PASSWORD, t1)), 60);
    const t2 = at(t1, 61_000);
    expect(await signIn(user.email, WRONG, t2)).toBeNull();
    expectRateLimited(await rateLimited(signIn(user.email, TEST_PASSWORD, t2)), 120);
  });

  it("per address: 20 failures across different emails from one address block that address", async () => {
    const address = uniqueAddress();
    const t0 = new Date();
    for (let i = 0; i < ADDRESS_THRESHOLD; i++) {
      expect(await signIn(uniqueEmail("spray"), WRONG, t0, address)).toBeNull();
    }
    expect((await throttleRow(`ip:${address}`))?.failures).toBe(20);
    // a real user's right password, from that address: refused
    const { user } = await makeUser();
    expectRateLimited(await rateLimited(signIn(user.email, TEST_PASSWORD, t0, address)), 30);
    // the same user from another address: fine (the address block is not the account's)
    expect(await signIn(user.email, TEST_PASSWORD, t0, uniqueAddress())).toMatchObject({ id: user.id });
    // nineteen failures would not have blocked: another address one short of the threshold still gets through
    const other = uniqueAddress();
    for (let i = 0; i < ADDRESS_THRESHOLD - 1; i++) await signIn(uniqueEmail("spray"), WRONG, t0, other);
    expect(await signIn(user.email, TEST_PASSWORD, t0, other)).toMatchObject({ id: user.id });
  });

  it("success does not clear the address counter", async () => {
    const address = uniqueAddress();
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < 3; i++) await signIn(uniqueEmail("spray"), WRONG, t0, address);
    expect(await signIn(user.email, TEST_PASSWORD, t0, address)).not.toBeNull();
    expect((await throttleRow(`ip:${address}`))?.failures).toBe(3);
  });

  it("forgets failures older than the 15-minute window", async () => {
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < 4; i++) await signIn(user.email, WRONG, t0);
    // past the window: the count starts again, so four more do not block
    const t1 = at(t0, WINDOW_MS + 1);
    for (let i = 0; i < 4; i++) expect(await signIn(user.email, WRONG, t1)).toBeNull();
    expect((await throttleRow(`email:${user.email}`))?.failures).toBe(4);
    expect(await signIn(user.email, TEST_PASSWORD, t1)).toMatchObject({ id: user.id });
  });

  it("counts failures spread within the window", async () => {
    const { user } = await makeUser();
    const t0 = new Date();
    for (let i = 0; i < 4; i++) await signIn(user.email, WRONG, at(t0, i * 60_000));
    const late = at(t0, WINDOW_MS - 1000); // the fifth, still inside the window
    expect(await signIn(user.email, WRONG, late)).toBeNull();
    expectRateLimited(await rateLimited(signIn(user.email, TEST_PASSWORD, late)), 30);
  });
});

describe("userFromSessionCookies", () => {
  const cookies = (value: string, name = "next-auth.session-token") => ({ getAll: () => [{ name, value }] });

  it("resolves a valid session cookie to its user", async () => {
    const { user } = await makeUser({ role: "auditor" });
    const value = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    expect(await userFromSessionCookies(db(), cookies(value))).toMatchObject({ id: user.id, email: user.email, role: "auditor" });
  });

  it("reads a token without an epoch as epoch 0", async () => {
    const { user } = await makeUser();
    expect(await userFromSessionCookies(db(), cookies(await sessionCookie({ uid: user.id })))).toMatchObject({ id: user.id });
  });

  it("refuses a disabled user's session", async () => {
    const { user } = await makeUser({ disabled: true });
    const value = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    expect(await userFromSessionCookies(db(), cookies(value))).toBeNull();
  });

  it("refuses a session of an older epoch once the password changes; a new session works", async () => {
    const { user } = await makeUser();
    const old = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    await setUserPassword(db(), user.id, "another long passphrase", testActor);
    expect(await userFromSessionCookies(db(), cookies(old))).toBeNull();
    const fresh = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch + 1 });
    expect(await userFromSessionCookies(db(), cookies(fresh))).toMatchObject({ id: user.id, sessionEpoch: user.sessionEpoch + 1 });
  });

  it("a disabled and re-enabled user's old session stays dead", async () => {
    const { user } = await makeUser();
    const old = await sessionCookie({ uid: user.id, epoch: user.sessionEpoch });
    await updateUser(db(), user.id, { disabled: true }, testActor);
    await updateUser(db(), user.id, { disabled: false }, testActor);
    expect(await userFromSessionCookies(db(), cookies(old))).toBeNull();
  });

  it.each([
    ["garbage", async () => "not-a-jwt"],
    ["an empty value", async () => ""],
    ["a token for an unknown user", async () => sessionCookie({ uid: "usr_unknown", epoch: 0 })],
    ["a token signed with another secret", async (uid: string) => sessionCookie({ uid, epoch: 0 }, { secret: "x".repeat(40) })],
    ["an expired token", async (uid: string) => sessionCookie({ uid, epoch: 0 }, { maxAge: -60 })],
    ["a token whose uid is not a string", async () => sessionCookie({ uid: 42 as unknown as string, epoch: 0 })],
  ])("refuses %s", async (_, make) => {
    const { user } = await makeUser();
    expect(await userFromSessionCookies(db(), cookies(await make(user.id)))).toBeNull();
  });

  it("ignores a valid token under another cookie name", async () => {
    const { user } = await makeUser();
    const value = await sessionCookie({ uid: user.id, epoch: 0 });
    expect(await userFromSessionCookies(db(), cookies(value, "some-other-cookie"))).toBeNull();
  });
});

describe("parallel guessing", () => {
  it("a burst of 20 simultaneous wrong passwords for one account checks at most 5 of them", async () => {
    const { user } = await makeUser();
    const now = new Date();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => signIn(user.email, WRONG, now)));
    const limited = results.filter((r) => r.status === "rejected" && (r.reason as AppError).code === "rate_limited");
    const checked = results.filter((r) => r.status === "fulfilled");
    expect(checked.length).toBeLessThanOrEqual(ACCOUNT_THRESHOLD);
    expect(limited.length).toBe(20 - checked.length);
    const failures = await db().auditEvent.count({ where: { action: "auth.sign_in", actorId: user.id, result: "failure" } });
    expect(failures).toBe(checked.length);
  });
});
