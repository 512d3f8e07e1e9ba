// Resolves a session cookie to a live user. The JWT alone is not enough: the user must still exist, be enabled,
// and carry the same session epoch (disabling or a password change bumps it, ending every older session).
import { getToken } from "next-auth/jwt";
import type { User } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { sessionSecret } from "./options";

type CookieSource = { getAll(): { name: string; value: string }[] };

export async function userFromSessionCookies(db: Db, cookies: CookieSource): Promise<User | null> {
  const token = await getToken({
    // getToken reads cookies through getAll(); headers are not needed for cookie sessions
    req: { cookies, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: sessionSecret(),
  });
  if (!token || typeof token.uid !== "string") return null;
  const user = await db.user.findUnique({ where: { id: token.uid } });
  if (!user || user.disabledAt || user.sessionEpoch !== (token.epoch ?? 0)) return null;
  return user;
}
