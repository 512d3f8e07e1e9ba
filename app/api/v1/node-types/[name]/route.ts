// PATCH /api/v1/node-types/{name}: change a node type's icon. DELETE: remove a custom type no node uses (else 409).
import { apiRoute } from "@/lib/http/api-route";
import { deleteNodeType } from "@/lib/resources/delete-node-type";
import { updateNodeTypeInput } from "@/lib/resources/schemas";
import { updateNodeType } from "@/lib/resources/update-node-type";

export const runtime = "nodejs";

export const PATCH = apiRoute({ roles: ["admin"], body: updateNodeTypeInput }, async ({ db, params, body, principal }) =>
  updateNodeType(db, params.name!, body, principal.actor),
);

export const DELETE = apiRoute({ roles: ["admin"] }, async ({ db, params, principal }) => deleteNodeType(db, params.name!, principal.actor));
