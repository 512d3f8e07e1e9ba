import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { E2E_ENV } from "./env";

/** Runs the CLI against the e2e server's database. */
export function cli(...args: string[]): string {
  return execFileSync("node", ["bin/deputy.mjs", ...args], { env: { ...process.env, ...E2E_ENV }, encoding: "utf8" }).trim();
}

export const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString("hex")}@e2e.test`;

/** A console user made through the CLI, with a known password. */
export function createUser(role: "admin" | "approver" | "auditor" | "viewer") {
  const email = uniqueEmail(role);
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  cli("user", "create", "--email", email, "--role", role, "--password", password);
  return { email, password };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Signs an API request context in through next-auth's credentials callback; returns the response. */
export async function signInRequest(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/dashboard", json: "true" },
  });
}
