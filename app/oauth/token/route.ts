// POST /oauth/token: RFC 6749 section 3.2 (client_credentials, section 4.4), client auth per RFC 7523.
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

export const runtime = "nodejs";
export const POST = handleTokenRequest;
