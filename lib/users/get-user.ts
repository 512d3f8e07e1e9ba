import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors/app-error";
import { toUserView } from "./user-view";

export async function getUser(db: Db, id: string) {
  const user = await db.user.findUnique({ where: { id } });
  if (!user) throw notFound("User");
  return toUserView(user);
}
