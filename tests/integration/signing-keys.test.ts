// Signing keys: sealed at rest, published in the JWKS while their tokens may live, rotated without breaking tokens.
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { POST as introspectRoute } from "@/app/oauth/introspect/route";
import { POST as rotateRoute } from "@/app/api/v1/signing-keys/rotate/route";
import { POST as tokenRoute } from "@/app/oauth/token/route";
import { unseal } from "@/lib/crypto/seal";
import { getDb } from "@/lib/db/client";
import { clearSigningKeyCache } from "@/lib/keys/signing-keys";
import { makeApiKey } from "../helpers/factories";
import { apiRequest } from "../helpers/http";
import { basicAuth, formRequest, makeAgent } from "../helpers/oauth";

async function token(agent: Awaited<ReturnType<typeof makeAgent>>) {
  const res = await tokenRoute(formRequest("/oauth/token", "grant_type=client_credentials", { authorization: basicAuth(agent.clientId, agent.clientSecret) }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function jwksKids() {
  return ((await (await jwksRoute()).json()) as { keys: { kid: string; d?: string }[] }).keys;
}

describe("signing keys", () => {
  it("private keys are stored sealed: no private JWK member or PEM in the row, and the seal is bound to its kid", async () => {
    const agent = await makeAgent();
    await token(agent);
    const row = await getDb().signingKey.findFirstOrThrow({ where: { status: "active" } });
    expect(row.privateKeyEnc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row.privateKeyEnc).not.toContain("PRIVATE KEY");
    expect(JSON.parse(row.publicJwk)).not.toHaveProperty("d");
    expect(unseal(row.privateKeyEnc, "signing-key-v1", row.kid).length).toBeGreaterThan(100);
    expect(() => unseal(row.privateKeyEnc, "signing-key-v1", "another-kid")).toThrow();
    for (const k of await jwksKids()) expect(k).not.toHaveProperty("d");
  });

  it("rotation: new tokens use the new key, old tokens still introspect active, both keys are published", async () => {
    const agent = await makeAgent();
    const introspector = await makeAgent({ canIntrospect: true });
    const before = await token(agent);
    const oldKid = decodeProtectedHeader(before).kid!;

    const res = await rotateRoute(apiRequest("/api/v1/signing-keys/rotate", { method: "POST", key: (await makeApiKey()).key }));
    expect(res.status).toBe(200);
    const { kid: newKid } = (await res.json()) as { kid: string };
    clearSigningKeyCache(); // this process rotated through the route's module: same cache, cleared anyway for clarity

    const after = await token(agent);
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await jwksKids()).map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));

    const introspect = async (t: string) =>
      (await (await introspectRoute(formRequest("/oauth/introspect", `token=${t}`, { authorization: basicAuth(introspector.clientId, introspector.clientSecret) }))).json()) as { active: boolean };
    expect((await introspect(before)).active).toBe(true);
    expect((await introspect(after)).active).toBe(true);

    // once the retired key's publication ends, it leaves the JWKS and its tokens no longer verify
    await getDb().signingKey.update({ where: { kid: oldKid }, data: { publishUntil: new Date(Date.now() - 1000) } });
    clearSigningKeyCache();
    expect((await jwksKids()).map((k) => k.kid)).not.toContain(oldKid);
    expect((await introspect(before)).active).toBe(false);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "signing_key.rotate", targetId: newKid } });
    expect(JSON.parse(event.details).retired).toContain(oldKid);
  });
});
