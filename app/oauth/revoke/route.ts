// POST /oauth/revoke: RFC 7009 token revocation.
import { webHandler } from "@/lib/http/plain";
import { handleRevocationRequest } from "@/lib/oauth/revoke-endpoint";
import { MAX_FORM_BYTES } from "@/lib/oauth/read-form";

export const runtime = "nodejs";
export const POST = webHandler(handleRevocationRequest, MAX_FORM_BYTES);
