// What leaves the server about a user: never the password hash or the session epoch.
import type { User } from "@/generated/sqlite/client";

export type UserView = {
  id: string;
  email: string;
  name: string | null;
  role: string;
  status: "active" | "disabled";
  hasPassword: boolean;
  lastSignInAt: string | null;
  createdAt: string;
};

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.disabledAt ? "disabled" : "active",
    hasPassword: u.passwordHash !== null,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}
