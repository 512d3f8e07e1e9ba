// GET /api/v1/drills: the drill history, newest first. POST: run a live kill-switch drill now; answers when it is done.
import { listDrills } from "@/lib/drills/list-drills";
import { runDrill } from "@/lib/drills/run-drill";
import { apiRoute, created } from "@/lib/http/api-route";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: ["admin", "auditor"] }, async ({ db }) => ({ drills: await listDrills(db) }));

export const POST = apiRoute({ roles: ["admin"] }, async ({ db, principal }) => created(await runDrill(db, principal.actor)));
