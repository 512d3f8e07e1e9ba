// Any other /api/v1 path: a JSON 404 (never Next's HTML page).
import { AppError } from "@/lib/errors/app-error";
import { jsonError } from "@/lib/errors/to-json-response";

export const runtime = "nodejs";

const notFound = async () => jsonError(new AppError("not_found", "No such API route"));
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
