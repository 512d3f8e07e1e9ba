// POST /oauth/revoke: RFC 7009 token revocation.
import { handleRevocationRequest } from "@/lib/oauth/revoke-endpoint";

export const runtime = "nodejs";
export const POST = handleRevocationRequest;
