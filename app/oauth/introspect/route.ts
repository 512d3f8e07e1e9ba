// POST /oauth/introspect: RFC 7662 token introspection.
import { handleIntrospectionRequest } from "@/lib/oauth/introspect-endpoint";

export const runtime = "nodejs";
export const POST = handleIntrospectionRequest;
