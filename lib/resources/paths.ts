// Tree paths: `acme/platform/api/branch:feature-xyz`. Segments are separated by "/"; a segment is a node's `name`,
// or `type:name` when the type must be said too. Names never contain "/" or ":" (nodeNameSchema), so parsing is
// unambiguous. Paths are shown as names joined by "/".
import { AppError } from "@/lib/errors/app-error";

export type PathSegment = { type: string | null; name: string };

export function badPath(path: string, message: string): AppError {
  return new AppError("validation_failed", `path: ${message}`, [{ path: "path", message }]);
}

/** Parses a path; one leading or trailing "/" is allowed. Empty segments and segments with two ":" are refused. */
export function parseNodePath(path: string): PathSegment[] {
  const trimmed = path.trim().replace(/^\//, "").replace(/\/$/, "");
  if (!trimmed) throw badPath(path, "is empty");
  return trimmed.split("/").map((raw) => {
    const segment = raw.trim();
    if (!segment) throw badPath(path, `has an empty segment: ${path}`);
    const parts = segment.split(":");
    if (parts.length > 2) throw badPath(path, `segment "${segment}" has more than one ":"; use name or type:name`);
    if (parts.length === 2) {
      const [type, name] = [parts[0]!.trim(), parts[1]!.trim()];
      if (!type || !name) throw badPath(path, `segment "${segment}" must be name or type:name`);
      return { type, name };
    }
    return { type: null, name: segment };
  });
}

export function formatSegment(s: PathSegment): string {
  return s.type ? `${s.type}:${s.name}` : s.name;
}

export function joinPath(names: string[]): string {
  return names.join("/");
}

/** The ids in an idPath ("res_a/res_b/"), root first; the last one is the node itself. */
export function idsOfPath(idPath: string): string[] {
  return idPath.split("/").filter(Boolean);
}

/** The ids of a node's ancestors, root first (not the node itself). */
export function ancestorIdsOf(idPath: string): string[] {
  return idsOfPath(idPath).slice(0, -1);
}

/**
 * A LIKE pattern matching every idPath that starts with `prefix` (the node and its subtree), used with ESCAPE '\'.
 * Ids contain "_", a LIKE wildcard, so it is escaped (Prisma's startsWith does not escape it).
 */
export function subtreePattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
