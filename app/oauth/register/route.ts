// POST /oauth/register: RFC 7591 section 3 dynamic client registration, with an initial access token (section 1.2).
import { handleRegistrationRequest } from "@/lib/dcr/register-endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = handleRegistrationRequest;
