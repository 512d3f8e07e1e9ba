// The OpenAPI 3.1 description of /api/v1. Request bodies come from the same zod schemas the routes parse with, so
// the document cannot drift from what the API accepts. Each issue adds its paths here.
import { z } from "zod";
import { createApiKeyInput } from "@/lib/api-keys/create-api-key";
import { listEventsQuery } from "@/lib/audit/list-events";
import { createUserInput, setPasswordInput, updateUserInput } from "@/lib/users/schemas";

const json = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) } });
const ref = (name: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${name}` } } });
const ok = (description: string, name?: string) => ({ description, ...(name ? { content: ref(name) } : {}) });
const errors = {
  "400": ok("Invalid input", "Error"),
  "401": ok("Missing, unknown or revoked credentials", "Error"),
  "403": ok("The caller's role may not do this", "Error"),
};
const queryParams = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: z.toJSONSchema(s as z.ZodType, { io: "input", unrepresentable: "any" }),
  }));
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Deputy API",
      version: "1",
      description:
        "Identity and authorization for AI agents. Authenticate with an admin API key: `Authorization: Bearer dpk_...` " +
        "(create one in the console under Settings > API keys, or `npm run cli -- api-key create --name N`).",
    },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An admin API key, dpk_..." } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
            },
          },
        },
        User: {
          type: "object",
          properties: {
            id: { type: "string", example: "usr_01jd..." },
            email: { type: "string" },
            name: { type: ["string", "null"] },
            role: { type: "string", enum: ["admin", "approver", "auditor", "viewer"] },
            status: { type: "string", enum: ["active", "disabled"] },
            hasPassword: { type: "boolean" },
            lastSignInAt: { type: ["string", "null"], format: "date-time" },
            createdAt: { type: "string", format: "date-time" },
          },
        },
        ApiKey: {
          type: "object",
          properties: {
            id: { type: "string", example: "key_01jd..." },
            name: { type: "string" },
            last4: { type: "string" },
            status: { type: "string", enum: ["active", "revoked"] },
            createdAt: { type: "string", format: "date-time" },
            lastUsedAt: { type: ["string", "null"], format: "date-time" },
            revokedAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        AuditEvent: {
          type: "object",
          properties: {
            id: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            actor: { type: "object" },
            action: { type: "string", example: "user.create" },
            target: { type: ["object", "null"] },
            result: { type: "string" },
            details: { type: "object" },
            ip: { type: ["string", "null"] },
          },
        },
      },
    },
    paths: {
      "/me": { get: { summary: "Who the caller is", responses: { "200": ok("The caller"), ...errors } } },
      "/users": {
        get: { summary: "List console users", responses: { "200": ok("Users"), ...errors } },
        post: {
          summary: "Create (invite) a console user; without a password one is generated and returned once",
          requestBody: { required: true, content: json(createUserInput) },
          responses: { "201": ok("Created: { user, generatedPassword }"), "409": ok("Email already used", "Error"), ...errors },
        },
      },
      "/users/{userId}": {
        parameters: [idParam("userId")],
        get: { summary: "Get a user", responses: { "200": ok("The user", "User"), "404": ok("Not found", "Error"), ...errors } },
        patch: {
          summary: "Change a user's name or role, or disable/enable them (a disabled user's sessions stop at once)",
          requestBody: { required: true, content: json(updateUserInput) },
          responses: { "200": ok("The user", "User"), "404": ok("Not found", "Error"), "409": ok("Would leave no admin", "Error"), ...errors },
        },
      },
      "/users/{userId}/password": {
        parameters: [idParam("userId")],
        post: {
          summary: "Set a password, or generate one (returned once); ends the user's sessions",
          requestBody: { required: true, content: json(setPasswordInput) },
          responses: { "200": ok("{ generatedPassword }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/api-keys": {
        get: { summary: "List admin API keys", responses: { "200": ok("{ apiKeys: ApiKey[] }"), ...errors } },
        post: {
          summary: "Create an admin API key; the key is in this response only",
          requestBody: { required: true, content: json(createApiKeyInput) },
          responses: { "201": ok("{ apiKey, key }"), ...errors },
        },
      },
      "/api-keys/{keyId}": {
        parameters: [idParam("keyId")],
        delete: { summary: "Revoke an API key", responses: { "200": ok("The key", "ApiKey"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors } },
      },
      "/audit-events": {
        get: {
          summary: "The audit trail, newest first (keyset paging with cursor)",
          parameters: queryParams(listEventsQuery),
          responses: { "200": ok("{ events: AuditEvent[], nextCursor }"), ...errors },
        },
      },
    },
  };
}
