// POST /oauth/token: RFC 6749 section 3.2 (client_credentials, section 4.4), client auth per RFC 7523.
import { webHandler } from "@/lib/http/plain";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";
import { MAX_FORM_BYTES } from "@/lib/oauth/read-form";

export const runtime = "nodejs";
export const POST = webHandler(handleTokenRequest, MAX_FORM_BYTES);
