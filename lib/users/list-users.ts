import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { containsInsensitive } from "@/lib/db/text-search";
import { toUserView } from "./user-view";

export const listUsersQuery = z.object({
  q: z.string().trim().max(254).optional(),
  role: z.string().max(20).optional(),
  status: z.enum(["active", "disabled"]).optional(),
});

export async function listUsers(db: Db, input: z.input<typeof listUsersQuery> = {}) {
  const q = listUsersQuery.parse(input);
  const users = await db.user.findMany({
    where: {
      ...(q.q ? { OR: [{ email: containsInsensitive(q.q) }, { name: containsInsensitive(q.q) }] } : {}),
      ...(q.role ? { role: q.role } : {}),
      ...(q.status === "active" ? { disabledAt: null } : q.status === "disabled" ? { NOT: { disabledAt: null } } : {}),
    },
    orderBy: { email: "asc" },
    take: 500,
  });
  return users.map(toUserView);
}
