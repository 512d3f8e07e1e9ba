// Recognises database errors by Prisma's codes, the same on SQLite and PostgreSQL.
function prismaCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}

/** P2002: a unique constraint failed. */
export const isUniqueViolation = (e: unknown) => prismaCode(e) === "P2002";
/** P2025: the record to update or delete was not found. */
export const isRecordNotFound = (e: unknown) => prismaCode(e) === "P2025";
