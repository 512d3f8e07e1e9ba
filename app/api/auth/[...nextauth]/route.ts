// GET|POST /api/auth/*: next-auth (console sign-in, sign-out, session, CSRF token), throttled (lib/auth/route-handler.ts).
import { nextAuthHandlers } from "@/lib/auth/route-handler";

export const runtime = "nodejs";
export const { GET, POST } = nextAuthHandlers();
