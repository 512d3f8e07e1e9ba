// The verified-signature cache skips only the signature check: a token remembered as verified still expires on
// time, is refused once revoked or once its agent is suspended, and a token differing by one character is verified
// afresh (and fails).
import { describe, expect, it } from "vitest";
import { suspendAgent } from "@/lib/agents/suspend-agent";
import { getDb } from "@/lib/db/client";
import { checkAccessToken, signAccessToken } from "@/lib/oauth/access-token";
import { testActor } from "../helpers/factories";
import { basicAuth, deputyFetch, formRequest, makeAgent } from "../helpers/oauth";

const db = () => getDb();

async function freshToken() {
  const { agent } = await makeAgent();
  const row = await db().agent.findUniqueOrThrow({ where: { id: agent.id } });
  const now = new Date();
  const { token, claims } = await signAccessToken(db(), { agentId: agent.id, tokenEpoch: row.tokenEpoch, scope: ["github.read"], audience: "https://tools.test", ttlSeconds: 60 }, now);
  return { agent, token, claims, now };
}

describe("verified token cache", () => {
  it("still expires a remembered token to the second", async () => {
    const { token, claims, now } = await freshToken();
    expect((await checkAccessToken(db(), token, now)).active).toBe(true);
    expect((await checkAccessToken(db(), token, now)).active).toBe(true); // from the cache
    expect((await checkAccessToken(db(), token, new Date(claims.exp * 1000 - 1))).active).toBe(true);
    expect(await checkAccessToken(db(), token, new Date(claims.exp * 1000))).toEqual({ active: false, reason: "invalid_or_expired" });
  });

  it("refuses a remembered token once its agent is suspended or the token is revoked", async () => {
    const a = await freshToken();
    expect((await checkAccessToken(db(), a.token)).active).toBe(true);
    await suspendAgent(db(), a.agent.id, testActor);
    expect((await checkAccessToken(db(), a.token)).active).toBe(false);

    const { agent, clientSecret } = await makeAgent();
    const issued = await deputyFetch(formRequest("/oauth/token", "grant_type=client_credentials&resource=https%3A%2F%2Ftools.test", { authorization: basicAuth(agent.id, clientSecret) }));
    const { access_token } = (await issued.json()) as { access_token: string };
    expect((await checkAccessToken(db(), access_token)).active).toBe(true);
    const revoked = await deputyFetch(formRequest("/oauth/revoke", `token=${access_token}`, { authorization: basicAuth(agent.id, clientSecret) }));
    expect(revoked.status).toBe(200);
    expect(await checkAccessToken(db(), access_token)).toEqual({ active: false, reason: "revoked" });
  });

  it("verifies a token that differs from a remembered one by one character afresh", async () => {
    const { token } = await freshToken();
    expect((await checkAccessToken(db(), token)).active).toBe(true);
    const last = token.at(-2) === "A" ? "B" : "A";
    const forged = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect(await checkAccessToken(db(), forged)).toEqual({ active: false, reason: "invalid_or_expired" });
  });
});
