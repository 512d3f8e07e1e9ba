// POST /oauth/introspect: RFC 7662 token introspection.
import { webHandler } from "@/lib/http/plain";
import { handleIntrospectionRequest } from "@/lib/oauth/introspect-endpoint";
import { MAX_FORM_BYTES } from "@/lib/oauth/read-form";

export const runtime = "nodejs";
export const POST = webHandler(handleIntrospectionRequest, MAX_FORM_BYTES);
