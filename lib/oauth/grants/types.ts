import type { Db } from "@/lib/db/client";
import type { AuthenticatedClient } from "../client-auth";

/** RFC 6749 5.1 */
export type TokenResponse = { access_token: string; token_type: "Bearer"; expires_in: number; scope: string };

export type GrantHandler = (db: Db, client: AuthenticatedClient, form: Map<string, string>, now: Date) => Promise<TokenResponse>;
