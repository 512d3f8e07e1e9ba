// GET /api/v1/tools/{toolId}: one tool (id or name). PATCH: its description, parameter schema or risk. DELETE:
// remove it (refused while granted).
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { apiRoute } from "@/lib/http/api-route";
import { deleteTool } from "@/lib/tools/delete-tool";
import { getTool } from "@/lib/tools/get-tool";
import { updateToolInput } from "@/lib/tools/schemas";
import { updateTool } from "@/lib/tools/update-tool";

export const runtime = "nodejs";

export const GET = apiRoute({ roles: CONSOLE_ROLES }, async ({ db, params }) => getTool(db, params.toolId!));

export const PATCH = apiRoute({ roles: ["admin"], body: updateToolInput }, async ({ db, params, body, principal }) =>
  updateTool(db, params.toolId!, body, principal.actor),
);

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => deleteTool(db, params.toolId!, principal.actor));
