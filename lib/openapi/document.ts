// The OpenAPI 3.1 description of /api/v1. Request bodies come from the same zod schemas the routes parse with, so
// the document cannot drift from what the API accepts. Each issue adds its paths here.
import { z } from "zod";
import {
  addPublicKeyInput,
  createAgentInput,
  createClientSecretInput,
  listAgentsQuery,
  rotateClientSecretInput,
  updateAgentInput,
} from "@/lib/agents/schemas";
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
        Agent: {
          type: "object",
          properties: {
            id: { type: "string", example: "agt_01jd..." },
            clientId: { type: "string", description: "The OAuth client_id: the agent's id" },
            name: { type: "string" },
            description: { type: ["string", "null"] },
            owner: { type: "object", properties: { id: { type: "string" }, email: { type: "string" } } },
            kind: { type: "string", enum: ["autonomous", "on_behalf_of"] },
            status: { type: "string", enum: ["active", "suspended", "killed"] },
            tokenTtlSeconds: { type: "integer" },
            allowedScopes: { type: "array", items: { type: "string" } },
            canIntrospect: { type: "boolean" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            lastSeenAt: { type: ["string", "null"], format: "date-time" },
            rotationDue: { type: "boolean", description: "Its oldest active secret is older than the rotation policy (90 days)" },
            activeSecrets: { type: "integer" },
          },
        },
        AgentDetail: {
          allOf: [
            { $ref: "#/components/schemas/Agent" },
            {
              type: "object",
              properties: {
                secrets: { type: "array", items: { $ref: "#/components/schemas/ClientSecret" } },
                publicKeys: { type: "array", items: { $ref: "#/components/schemas/PublicKey" } },
                recentTokens: {
                  type: "array",
                  description: "The last 20 tokens issued to the agent (from the audit trail)",
                  items: {
                    type: "object",
                    properties: {
                      eventId: { type: "string" },
                      jti: { type: ["string", "null"] },
                      scope: { type: ["string", "null"] },
                      aud: { type: ["string", "null"] },
                      issuedAt: { type: "string", format: "date-time" },
                      expiresAt: { type: ["string", "null"], format: "date-time" },
                    },
                  },
                },
              },
            },
          ],
        },
        ClientSecret: {
          type: "object",
          description: "A client secret as listed: never the secret itself, which is only in the response that created it",
          properties: {
            id: { type: "string", example: "sec_01jd..." },
            last4: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            expiresAt: { type: "string", format: "date-time" },
            lastUsedAt: { type: ["string", "null"], format: "date-time" },
            revokedAt: { type: ["string", "null"], format: "date-time" },
            rotatedAt: { type: ["string", "null"], format: "date-time" },
            status: { type: "string", enum: ["active", "grace", "expired", "revoked"] },
          },
        },
        PublicKey: {
          type: "object",
          properties: {
            id: { type: "string", example: "ajk_01jd..." },
            kid: { type: ["string", "null"] },
            alg: { type: "string", enum: ["ES256", "EdDSA", "RS256"] },
            thumbprint: { type: "string", description: "RFC 7638 SHA-256 thumbprint" },
            createdAt: { type: "string", format: "date-time" },
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
      "/agents": {
        get: {
          summary: "List agents: filter by q (name part or exact id), status, kind, ownerId; sort; keyset paging with cursor",
          parameters: queryParams(listAgentsQuery),
          responses: { "200": ok("{ agents: Agent[], total, nextCursor }"), ...errors },
        },
        post: {
          summary: "Register an agent (owner: a user id or email); its first client secret is in this response only",
          requestBody: { required: true, content: json(createAgentInput) },
          responses: { "201": ok("Created: { agent: Agent, clientSecret: string | null }"), ...errors },
        },
      },
      "/agents/{agentId}": {
        parameters: [idParam("agentId")],
        get: {
          summary: "Get an agent with its secrets (last four characters only), public keys and recent tokens",
          responses: { "200": ok("The agent", "AgentDetail"), "404": ok("Not found", "Error"), ...errors },
        },
        patch: {
          summary: "Change an agent's name, description, owner, kind, token lifetime, allowed scopes or introspection right",
          requestBody: { required: true, content: json(updateAgentInput) },
          responses: { "200": ok("The agent", "Agent"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/suspend": {
        parameters: [idParam("agentId")],
        post: {
          summary: "Suspend an active agent: no new tokens, and the tokens it holds stop working",
          responses: { "200": ok("The agent", "Agent"), "404": ok("Not found", "Error"), "409": ok("Not active", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/reactivate": {
        parameters: [idParam("agentId")],
        post: {
          summary: "Reactivate a suspended agent (a killed agent cannot be reactivated); tokens from before stay invalid",
          responses: { "200": ok("The agent", "Agent"), "404": ok("Not found", "Error"), "409": ok("Not suspended", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/secrets": {
        parameters: [idParam("agentId")],
        get: { summary: "List an agent's client secrets", responses: { "200": ok("{ secrets: ClientSecret[] }"), "404": ok("Not found", "Error"), ...errors } },
        post: {
          summary: "Add a client secret (the others keep working); the secret is in this response only. Send {} for the defaults",
          requestBody: { required: true, content: json(createClientSecretInput) },
          responses: { "201": ok("{ secret: ClientSecret, clientSecret }"), "404": ok("Not found", "Error"), "409": ok("Agent killed", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/secrets/rotate": {
        parameters: [idParam("agentId")],
        post: {
          summary:
            "Rotate: a new secret (in this response only); every other active secret keeps working for graceHours (default 24, 0 = now), never past its own expiry",
          requestBody: { required: true, content: json(rotateClientSecretInput) },
          responses: {
            "201": ok("{ secret: ClientSecret, clientSecret, graceEndsAt, rotatedSecretIds }"),
            "404": ok("Not found", "Error"),
            "409": ok("Agent killed", "Error"),
            ...errors,
          },
        },
      },
      "/agents/{agentId}/secrets/{secretId}": {
        parameters: [idParam("agentId"), idParam("secretId")],
        delete: {
          summary: "Revoke a client secret at once",
          responses: { "200": ok("The secret", "ClientSecret"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/keys": {
        parameters: [idParam("agentId")],
        get: { summary: "List an agent's public keys for private_key_jwt", responses: { "200": ok("{ publicKeys: PublicKey[] }"), "404": ok("Not found", "Error"), ...errors } },
        post: {
          summary: "Register a public JWK for private_key_jwt (RFC 7523): EC P-256 (ES256), Ed25519 (EdDSA) or RSA >= 2048 bits (RS256)",
          requestBody: { required: true, content: json(addPublicKeyInput) },
          responses: { "201": ok("The key", "PublicKey"), "404": ok("Not found", "Error"), "409": ok("Already registered", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/keys/{keyId}": {
        parameters: [idParam("agentId"), idParam("keyId")],
        delete: {
          summary: "Revoke a public key at once",
          responses: { "200": ok("The key", "PublicKey"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors },
        },
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
