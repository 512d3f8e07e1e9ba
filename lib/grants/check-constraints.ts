// A grant may constrain only parameters its tools take: for a single tool, a property its parameter schema lists;
// for a role, a property at least one of its tools lists. When a tool's schema lists no properties, any parameter
// may be constrained. A numeric maximum needs a number parameter and a glob a string one, where the schema says.
import type { ParamConstraint } from "@/lib/authz/types";
import { AppError } from "@/lib/errors/app-error";
import { paramsOf } from "@/lib/tools/tool-view";

function invalid(param: string, message: string): AppError {
  const path = `constraints.${param}`;
  return new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
}

export function checkConstraints(constraints: Record<string, ParamConstraint>, tools: { name: string; paramsSchema: string }[]): void {
  const schemas = tools.map((t) => ({ name: t.name, params: paramsOf(t.paramsSchema) }));
  const open = schemas.length === 0 || schemas.some((s) => s.params === null);
  for (const [param, c] of Object.entries(constraints)) {
    const declared = schemas.filter((s) => s.params?.has(param));
    if (declared.length === 0) {
      if (open) continue;
      throw invalid(param, `is not a parameter of ${schemas.map((s) => s.name).join(", ")}`);
    }
    const types = declared.map((s) => s.params!.get(param)).filter((t): t is string => t !== null && t !== undefined);
    if (types.length === 0) continue;
    if ("max" in c && !types.some((t) => t === "number" || t === "integer")) throw invalid(param, `max needs a number parameter; ${param} is a ${types[0]}`);
    if ("glob" in c && !types.includes("string")) throw invalid(param, `glob needs a string parameter; ${param} is a ${types[0]}`);
  }
}
