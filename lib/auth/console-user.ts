// The signed-in user of a console page or server action. Server-only: reads the request's cookies.
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { canSee, type ConsoleSection } from "./roles";
import { userFromSessionCookies } from "./session";

export async function currentUser() {
  return userFromSessionCookies(getDb(), await cookies());
}

/** The user, or a redirect to sign-in; a 403 page when their role may not see the section. */
export async function requireConsoleUser(section?: ConsoleSection) {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  if (section && !canSee(user.role, section)) forbidden();
  return user;
}
