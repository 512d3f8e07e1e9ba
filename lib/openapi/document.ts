// The OpenAPI 3.1 description of /api/v1. Request bodies come from the same zod schemas the routes parse with, so
// the document cannot drift from what the API accepts. Each issue adds its paths here.
import { z } from "zod";
import {
  addPublicKeyInput,
  createAgentInput,
  createClientSecretInput,
  killAgentInput,
  restoreAgentInput,
  listAgentsQuery,
  rotateClientSecretInput,
  updateAgentInput,
} from "@/lib/agents/schemas";
import { createApiKeyInput } from "@/lib/api-keys/create-api-key";
import { listConsentsQuery } from "@/lib/consents/list-consents";
import { issueInitialAccessTokenInput } from "@/lib/dcr/schemas";
import { decideApprovalInput, getApprovalQuery, listApprovalsQuery, requestApprovalInput } from "@/lib/approvals/schemas";
import { listAlertsQuery } from "@/lib/alerts/list-alerts";
import { alertSettingsInput } from "@/lib/alerts/settings";
import { exportEventsQuery } from "@/lib/audit/export-events";
import { listEventsQuery } from "@/lib/audit/list-events";
import { verifyChainQuery } from "@/lib/audit/verify-chain";
import { delegationRuleInput, listDelegationRulesQuery } from "@/lib/delegation/schemas";
import { createFreezeInput, listFreezesQuery } from "@/lib/freezes/schemas";
import { createGrantInput, listGrantsQuery } from "@/lib/grants/schemas";
import { createResourceServerInput, rotateResourceServerSecretInput } from "@/lib/resource-servers/schemas";
import {
  createNodeInput,
  createNodeTypeInput,
  deleteNodeQuery,
  deletePreviewQuery,
  listResourcesQuery,
  updateNodeInput,
  updateNodeTypeInput,
} from "@/lib/resources/schemas";
import { createRoleInput, updateRoleInput } from "@/lib/roles/schemas";
import { listToolsQuery } from "@/lib/tools/list-tools";
import { createToolInput, updateToolInput } from "@/lib/tools/schemas";
import { createUserInput, setPasswordInput, updateUserInput } from "@/lib/users/schemas";
import { createWebhookInput, listDeliveriesQuery, updateWebhookInput } from "@/lib/webhooks/schemas";

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
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An admin API key, dpk_..." },
        agentToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An agent's access token from /oauth/token, issued without resource" },
      },
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
            status: { type: "string", enum: ["active", "suspended", "killed", "pending"] },
            tokenTtlSeconds: { type: "integer" },
            allowedScopes: { type: "array", items: { type: "string" } },
            canIntrospect: { type: "boolean" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            lastSeenAt: { type: ["string", "null"], format: "date-time" },
            killedAt: { type: ["string", "null"], format: "date-time", description: "When the kill switch was last pulled on it" },
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
        ResourceNode: {
          type: "object",
          properties: {
            id: { type: "string", example: "res_01jd..." },
            parentId: { type: ["string", "null"] },
            type: { type: "string", example: "repository" },
            name: { type: "string" },
            path: { type: "string", example: "acme/platform/api", description: "Names from the root down, joined by /" },
            depth: { type: "integer", description: "0 for a root" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        ResourceNodeDetail: {
          allOf: [
            { $ref: "#/components/schemas/ResourceNode" },
            {
              type: "object",
              properties: {
                ancestors: { type: "array", items: { type: "object", properties: { id: { type: "string" }, type: { type: "string" }, name: { type: "string" } } } },
                childCount: { type: "integer" },
                grantCount: { type: "integer", description: "Grants on this node that are not revoked" },
              },
            },
          ],
        },
        NodeType: {
          type: "object",
          properties: { name: { type: "string" }, icon: { type: "string" }, builtIn: { type: "boolean" }, createdAt: { type: "string", format: "date-time" } },
        },
        Tool: {
          type: "object",
          properties: {
            id: { type: "string", example: "tol_01jd..." },
            name: { type: "string", example: "github.push" },
            description: { type: "string" },
            paramsSchema: { type: "object", description: "JSON schema of the parameters ({} when none)" },
            risk: { type: "string", enum: ["read", "write", "irreversible"] },
            approvalPolicy: { type: "string", enum: ["any", "not_subject", "quorum"] },
            approvalQuorum: { type: "integer", minimum: 1 },
            approvalTtlSeconds: { type: "integer", minimum: 60, maximum: 86400 },
            roles: { type: "array", items: { type: "string" } },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Role: {
          type: "object",
          properties: {
            id: { type: "string", example: "rol_01jd..." },
            name: { type: "string" },
            description: { type: "string" },
            builtIn: { type: "boolean", description: "Viewer, Editor, Deployer, Approver: their tools follow tool risks" },
            tools: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, risk: { type: "string" } } } },
            grantCount: { type: "integer" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Grant: {
          type: "object",
          properties: {
            id: { type: "string", example: "grt_01jd..." },
            principal: { type: "object", properties: { type: { type: "string", enum: ["agent", "user"] }, id: { type: "string" }, label: { type: "string" } } },
            role: { type: ["object", "null"], properties: { id: { type: "string" }, name: { type: "string" } } },
            tool: { type: ["object", "null"], properties: { id: { type: "string" }, name: { type: "string" } } },
            node: { type: "object", properties: { id: { type: "string" }, type: { type: "string" }, name: { type: "string" }, path: { type: "string" } } },
            constraints: { type: "object", description: "Per parameter: { equals } | { oneOf } | { glob } | { max }" },
            notBefore: { type: ["string", "null"], format: "date-time", description: "Inclusive" },
            expiresAt: { type: ["string", "null"], format: "date-time", description: "Exclusive" },
            schedule: { type: ["object", "null"], description: "{ days: [0-6], start: HH:MM, end: HH:MM, timeZone }" },
            requiresApproval: { type: "boolean" },
            reason: { type: ["string", "null"] },
            grantedBy: { type: ["object", "null"] },
            createdAt: { type: "string", format: "date-time" },
            revokedAt: { type: ["string", "null"], format: "date-time" },
            revokedBy: { type: ["object", "null"] },
            status: { type: "string", enum: ["active", "scheduled", "expired", "revoked"] },
          },
        },
        ResourceServer: {
          type: "object",
          properties: {
            id: { type: "string", example: "rsv_01jd..." },
            name: { type: "string" },
            audience: { type: "string", format: "uri" },
            description: { type: "string" },
            status: { type: "string", enum: ["active", "disabled"] },
            activeSecrets: { type: "integer" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            secrets: {
              type: "array",
              description: "On GET of one server only; never the secret itself",
              items: {
                type: "object",
                properties: {
                  id: { type: "string", example: "rss_01jd..." },
                  last4: { type: "string" },
                  createdAt: { type: "string", format: "date-time" },
                  expiresAt: { type: "string", format: "date-time" },
                  lastUsedAt: { type: ["string", "null"], format: "date-time" },
                  revokedAt: { type: ["string", "null"], format: "date-time" },
                  status: { type: "string", enum: ["active", "expired", "revoked"] },
                },
              },
            },
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
            seq: { type: ["integer", "null"], description: "position in the hash chain" },
            prevHash: { type: ["string", "null"] },
            hash: { type: ["string", "null"] },
          },
        },
        Webhook: {
          type: "object",
          properties: {
            id: { type: "string", example: "whk_01jd..." },
            name: { type: "string" },
            url: { type: "string", format: "uri" },
            events: { type: "array", items: { type: "string" }, description: '["*"] for every event' },
            enabled: { type: "boolean" },
            secretLast4: { type: "string", description: "The signing secret's last four characters; the secret is shown once" },
            createdById: { type: ["string", "null"] },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        WebhookDelivery: {
          type: "object",
          properties: {
            id: { type: "string", example: "whd_01jd...", description: "Also the Deputy-Webhook-Id header and the body's id" },
            webhookId: { type: "string" },
            event: { type: "string", example: "approval.requested" },
            status: { type: "string", enum: ["pending", "delivered", "failed"] },
            attempts: { type: "integer" },
            nextAttemptAt: { type: ["string", "null"], format: "date-time" },
            lastStatus: { type: ["integer", "null"], description: "The receiver's last HTTP status" },
            lastError: { type: ["string", "null"] },
            createdAt: { type: "string", format: "date-time" },
            deliveredAt: { type: ["string", "null"], format: "date-time" },
            payload: { type: "string", description: "The JSON body exactly as sent and signed" },
          },
        },
      },
    },
    paths: {
      "/me": { get: { summary: "Who the caller is", responses: { "200": ok("The caller"), ...errors } } },
      "/me/consents": {
        get: {
          summary: "The signed-in person's consents to on-behalf-of agents (Connected agents), newest first; console sessions only",
          responses: { "200": ok("{ consents: Consent[] }"), ...errors },
        },
      },
      "/me/consents/{consentId}/revoke": {
        parameters: [idParam("consentId")],
        post: {
          summary: "Revoke one of your consents: every token derived from it stops at once (consent.revoke)",
          responses: { "200": ok("The consent"), "404": ok("Not found (or another person's)", "Error"), "409": ok("Already revoked", "Error"), ...errors },
        },
      },
      "/consents": {
        get: {
          summary: "Every person's consents to on-behalf-of agents (admins), filtered by userId, agentId or status",
          parameters: queryParams(listConsentsQuery),
          responses: { "200": ok("{ consents: Consent[] }"), ...errors },
        },
      },
      "/consents/{consentId}/revoke": {
        parameters: [idParam("consentId")],
        post: {
          summary: "Revoke anyone's consent (admins): every token derived from it stops at once (consent.revoke)",
          responses: { "200": ok("The consent"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors },
        },
      },
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
      "/agents/{agentId}/activate": {
        parameters: [idParam("agentId")],
        post: {
          summary: "Activate a pending agent (one that registered itself at /oauth/register): it can get tokens from now on",
          responses: { "200": ok("The agent", "Agent"), "404": ok("Not found", "Error"), "409": ok("Not pending", "Error"), ...errors },
        },
      },
      "/initial-access-tokens": {
        get: { summary: "List initial access tokens for dynamic client registration (RFC 7591), last four characters only", responses: { "200": ok("{ initialAccessTokens }"), ...errors } },
        post: {
          summary: "Issue an initial access token (dpi_...): it registers one client at /oauth/register, as a pending agent owned by `owner` (default: the signed-in admin); the token is in this response only",
          requestBody: { required: true, content: json(issueInitialAccessTokenInput) },
          responses: { "201": ok("{ initialAccessToken, token }"), ...errors },
        },
      },
      "/initial-access-tokens/{tokenId}": {
        parameters: [idParam("tokenId")],
        delete: {
          summary: "Revoke an unused initial access token",
          responses: { "200": ok("The token"), "404": ok("Not found", "Error"), "409": ok("Already revoked or used", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/reactivate": {
        parameters: [idParam("agentId")],
        post: {
          summary: "Reactivate a suspended agent (a killed agent cannot be reactivated); tokens from before stay invalid",
          responses: { "200": ok("The agent", "Agent"), "404": ok("Not found", "Error"), "409": ok("Not suspended", "Error"), ...errors },
        },
      },
      "/agents/{agentId}/kill": {
        parameters: [idParam("agentId")],
        post: {
          summary:
            "The kill switch: confirm must be the agent's name. Revokes every secret and key, refuses every token it holds or is named in (within 1 s on every instance), cancels its pending approvals, queues agent.killed",
          requestBody: { required: true, content: json(killAgentInput) },
          responses: {
            "200": ok("{ agent: Agent, revokedSecretIds, revokedKeyIds, cancelledApprovalIds, revokedConsentIds }"),
            "404": ok("Not found", "Error"),
            "409": ok("Already killed", "Error"),
            ...errors,
          },
        },
      },
      "/agents/{agentId}/restore": {
        parameters: [idParam("agentId")],
        post: {
          summary: "Restore a killed agent with one new client secret (in this response only); its old credentials and tokens stay dead. Send {} for the defaults",
          requestBody: { required: true, content: json(restoreAgentInput) },
          responses: { "200": ok("{ agent: Agent, clientSecret, secretId }"), "404": ok("Not found", "Error"), "409": ok("Not killed", "Error"), ...errors },
        },
      },
      "/freezes": {
        get: {
          summary: "Freezes in force and the recent lifted ones (active=true: only those in force)",
          parameters: queryParams(listFreezesQuery),
          responses: { "200": ok("{ freezes: Freeze[] }"), ...errors },
        },
        post: {
          summary: "Incident mode: suspend every active agent (no node) or every active agent whose grants reach the subtree of node (id or path)",
          requestBody: { required: true, content: json(createFreezeInput) },
          responses: { "201": ok("Freeze with agentIds: the agents it suspended"), "404": ok("Node not found", "Error"), ...errors },
        },
      },
      "/freezes/{freezeId}/lift": {
        parameters: [idParam("freezeId")],
        post: {
          summary: "Lift a freeze: reactivates the agents it still holds (another freeze in force keeps the ones it covers)",
          responses: { "200": ok("Freeze with reactivatedAgentIds and handedOver"), "404": ok("Not found", "Error"), "409": ok("Already lifted", "Error"), ...errors },
        },
      },
      "/delegation-rules": {
        get: {
          summary: "Delegation rules: agent from may hand its tokens to agent to through token exchange (RFC 8693). agent: only the rules naming it",
          parameters: queryParams(listDelegationRulesQuery),
          responses: { "200": ok("{ rules: [{ from: { id, name }, to: { id, name }, createdById, createdAt }] }"), ...errors },
        },
        post: {
          summary: "Allow agent from to delegate to agent to (each hop still narrows scope, subtree and expiry)",
          requestBody: { required: true, content: json(delegationRuleInput) },
          responses: { "201": ok("The rule"), "404": ok("Agent not found", "Error"), "409": ok("Already allowed", "Error"), ...errors },
        },
      },
      "/delegation-rules/{fromAgentId}/{toAgentId}": {
        parameters: [idParam("fromAgentId"), idParam("toAgentId")],
        delete: {
          summary: "Withdraw a delegation rule: no new exchange passes (tokens already exchanged live out their short lifetime)",
          responses: { "200": ok("{ from, to }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/drills": {
        get: { summary: "Kill-switch drill history, newest first (admins, auditors)", responses: { "200": ok("{ drills: Drill[] }"), ...errors } },
        post: {
          summary:
            "Run a live kill-switch drill on a canary agent and answer when it is done: status passed when introspection and decisions refused the canary's token within 1 s of the kill; steps timed; the canary removed",
          responses: { "201": ok("Drill: { id, status, timeToEffectMs, steps[{ step, at, ok, detail }], error }"), ...errors },
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
      "/resources": {
        get: {
          summary:
            "The tree: ?path= resolves one node (ResourceNodeDetail); ?q= searches names, or completes a path prefix when it has a /, " +
            "({ nodes }, at most 50); otherwise the children of ?parent= (id or path) or the roots, by name, with childCount " +
            "({ parent, nodes, nextCursor })",
          parameters: queryParams(listResourcesQuery),
          responses: { "200": ok("See the summary"), "404": ok("No such node or path (names the first missing segment)", "Error"), ...errors },
        },
        post: {
          summary: "Create a node: parent is an id or a path (acme/platform, acme/platform/branch:main); without one, a root",
          requestBody: { required: true, content: json(createNodeInput) },
          responses: {
            "201": ok("The node", "ResourceNode"),
            "404": ok("No such parent", "Error"),
            "409": ok("Name taken among the siblings, or the tree would be deeper than 32 levels", "Error"),
            ...errors,
          },
        },
      },
      "/resources/{nodeId}": {
        parameters: [idParam("nodeId")],
        get: { summary: "Get a node (by id, or a percent-encoded path) with its ancestors", responses: { "200": ok("The node", "ResourceNodeDetail"), "404": ok("Not found", "Error"), ...errors } },
        patch: {
          summary: "Rename (name) and/or move (parentId: an id or path; null makes it a root) a node with its subtree",
          requestBody: { required: true, content: json(updateNodeInput) },
          responses: { "200": ok("The node", "ResourceNode"), "404": ok("Not found", "Error"), "409": ok("Name taken, or the move would create a cycle", "Error"), ...errors },
        },
        delete: {
          summary:
            "Delete a node; refused while it has children or unrevoked grants unless cascade=true, which deletes the subtree and its grants. " +
            "With digest (from delete-preview) the cascade goes only if the subtree and its grants are still exactly what the preview listed",
          parameters: queryParams(deleteNodeQuery),
          responses: {
            "200": ok("{ id, path, nodeCount, grantCount, nodeIds, grantIds }"),
            "404": ok("Not found", "Error"),
            "409": ok("Has children or grants, or changed since the preview", "Error"),
            ...errors,
          },
        },
      },
      "/resources/{nodeId}/delete-preview": {
        parameters: [idParam("nodeId")],
        get: {
          summary:
            "Dry run of a delete: every node of the subtree (tree order) and every grant on them (principal, role or tool, node path, status), " +
            "up to limit of each, with whole counts and the digest a cascade DELETE quotes",
          parameters: queryParams(deletePreviewQuery),
          responses: {
            "200": ok("{ node, nodeCount, grantCount, grantsByStatus, cascadeRequired, nodes, grants, digest }"),
            "404": ok("Not found", "Error"),
            ...errors,
          },
        },
      },
      "/resources/{nodeId}/access": {
        parameters: [idParam("nodeId")],
        get: {
          summary: "Who holds which role or tool on the node: unrevoked grants on it and its ancestors, nearest first, with inherited, tools and status",
          responses: { "200": ok("{ node: { id, path }, entries: (Grant & { inherited, tools })[] }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/node-types": {
        get: { summary: "Node types (built-in ones first) with their icons", responses: { "200": ok("{ nodeTypes: NodeType[] }"), ...errors } },
        post: {
          summary: "Add a custom node type",
          requestBody: { required: true, content: json(createNodeTypeInput) },
          responses: { "201": ok("The type", "NodeType"), "409": ok("Name taken", "Error"), ...errors },
        },
      },
      "/node-types/{name}": {
        parameters: [idParam("name")],
        patch: {
          summary: "Change a node type's icon (its name is what nodes carry, and does not change)",
          requestBody: { required: true, content: json(updateNodeTypeInput) },
          responses: { "200": ok("The type", "NodeType"), "404": ok("Not found", "Error"), ...errors },
        },
        delete: {
          summary: "Delete a custom node type that no node uses",
          responses: { "200": ok("{ name }"), "404": ok("Not found", "Error"), "409": ok("Built-in, or used by nodes", "Error"), ...errors },
        },
      },
      "/tools": {
        get: { summary: "The tool catalog by name (q: part of a name; risk)", parameters: queryParams(listToolsQuery), responses: { "200": ok("{ tools: Tool[] }"), ...errors } },
        post: {
          summary: "Add a tool; the built-in roles of its risk take it (Viewer: read, Editor: read+write, Deployer: all)",
          requestBody: { required: true, content: json(createToolInput) },
          responses: { "201": ok("The tool", "Tool"), "409": ok("Name taken", "Error"), ...errors },
        },
      },
      "/tools/{toolId}": {
        parameters: [idParam("toolId")],
        get: { summary: "Get a tool (id or name) with its grant count", responses: { "200": ok("The tool", "Tool"), "404": ok("Not found", "Error"), ...errors } },
        patch: {
          summary:
            "Change a tool's description, parameter schema, risk (a new risk moves it between the built-in roles) or approval settings; " +
            "a schema that no longer fits a grant in force is refused (409)",
          requestBody: { required: true, content: json(updateToolInput) },
          responses: { "200": ok("The tool", "Tool"), "404": ok("Not found", "Error"), "409": ok("A grant in force does not fit the new schema", "Error"), ...errors },
        },
        delete: { summary: "Delete a tool (refused while granted)", responses: { "200": ok("{ id, name, roles }"), "404": ok("Not found", "Error"), "409": ok("Granted", "Error"), ...errors } },
      },
      "/roles": {
        get: { summary: "Every role with its tools, built-in ones first", responses: { "200": ok("{ roles: Role[] }"), ...errors } },
        post: {
          summary: "Add a custom role (tools by name or id)",
          requestBody: { required: true, content: json(createRoleInput) },
          responses: { "201": ok("The role", "Role"), "409": ok("Name taken (in any case)", "Error"), ...errors },
        },
      },
      "/roles/{roleId}": {
        parameters: [idParam("roleId")],
        get: { summary: "Get a role (id or name)", responses: { "200": ok("The role", "Role"), "404": ok("Not found", "Error"), ...errors } },
        patch: {
          summary: "Change a role's name, description or tools (built-in roles: description only)",
          requestBody: { required: true, content: json(updateRoleInput) },
          responses: { "200": ok("The role", "Role"), "404": ok("Not found", "Error"), "409": ok("Built-in, or name taken", "Error"), ...errors },
        },
        delete: {
          summary: "Delete a custom role (refused for built-in roles and while granted)",
          responses: { "200": ok("{ id, name }"), "404": ok("Not found", "Error"), "409": ok("Built-in or granted", "Error"), ...errors },
        },
      },
      "/grants": {
        get: {
          summary: "Grants with their status now, newest first: filter by principal, node (includeInherited: its ancestors' too), role, tool, status",
          parameters: queryParams(listGrantsQuery),
          responses: { "200": ok("{ grants: Grant[], nextCursor }"), "404": ok("No such node", "Error"), ...errors },
        },
        post: {
          summary:
            "Grant a principal (agent by id, user by id or email) a role or a tool (exactly one) on a node (id or path) and everything below it, " +
            "with optional constraints, time window and weekly schedule",
          requestBody: { required: true, content: json(createGrantInput) },
          responses: { "201": ok("The grant", "Grant"), "404": ok("No such node", "Error"), "409": ok("The agent was killed", "Error"), ...errors },
        },
      },
      "/grants/{grantId}": {
        parameters: [idParam("grantId")],
        get: { summary: "Get a grant with its status now", responses: { "200": ok("The grant", "Grant"), "404": ok("Not found", "Error"), ...errors } },
        delete: { summary: "Revoke a grant at once", responses: { "200": ok("The grant", "Grant"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors } },
      },
      "/resource-servers": {
        get: { summary: "Resource servers (tools, MCP servers) that ask for decisions; admins only", responses: { "200": ok("{ resourceServers: ResourceServer[] }"), ...errors } },
        post: {
          summary: "Register a resource server with its audience URI; its secret (dpr_...) is in this response only",
          requestBody: { required: true, content: json(createResourceServerInput) },
          responses: { "201": ok("{ resourceServer: ResourceServer, secret }"), "409": ok("Audience taken", "Error"), ...errors },
        },
      },
      "/resource-servers/{serverId}": {
        parameters: [idParam("serverId")],
        get: { summary: "Get a resource server with its secrets (last four characters only)", responses: { "200": ok("The server", "ResourceServer"), "404": ok("Not found", "Error"), ...errors } },
      },
      "/resource-servers/{serverId}/secrets/rotate": {
        parameters: [idParam("serverId")],
        post: {
          summary: "Rotate: a new secret (in this response only); the others keep working for graceHours (default 24, 0 = now), never past their own expiry",
          requestBody: { required: true, content: json(rotateResourceServerSecretInput) },
          responses: { "201": ok("{ secret, secretInfo, graceEndsAt, rotatedSecretIds }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/resource-servers/{serverId}/secrets/{secretId}": {
        parameters: [idParam("serverId"), idParam("secretId")],
        delete: { summary: "Revoke a secret at once", responses: { "200": ok("The secret"), "404": ok("Not found", "Error"), "409": ok("Already revoked", "Error"), ...errors } },
      },
      "/resource-servers/{serverId}/disable": {
        parameters: [idParam("serverId")],
        post: { summary: "Disable: none of its secrets authenticates", responses: { "200": ok("The server", "ResourceServer"), "404": ok("Not found", "Error"), "409": ok("Already disabled", "Error"), ...errors } },
      },
      "/resource-servers/{serverId}/enable": {
        parameters: [idParam("serverId")],
        post: { summary: "Enable a disabled resource server", responses: { "200": ok("The server", "ResourceServer"), "404": ok("Not found", "Error"), "409": ok("Already enabled", "Error"), ...errors } },
      },
      "/approvals": {
        get: {
          summary: "Approval requests newest first (approvers, admins, auditors): filter by status, agent, tool; keyset paging; with pendingCount",
          parameters: queryParams(listApprovalsQuery),
          responses: { "200": ok("{ approvals: Approval[], nextCursor, pendingCount }"), ...errors },
        },
        post: {
          summary:
            "An agent, with its own access token (issued without resource, so its audience is Deputy), asks a person to confirm one exact call " +
            "(tool, resource, params) with a justification and reasoning trace. The same call while one is pending returns that one (200)",
          security: [{ agentToken: [] }],
          requestBody: { required: true, content: json(requestApprovalInput) },
          responses: { "201": ok("The request, as the agent sees it"), "200": ok("The pending request for the same call"), "404": ok("No such resource", "Error"), ...errors },
        },
      },
      "/approvals/{approvalId}": {
        parameters: [idParam("approvalId")],
        get: {
          summary:
            "One request: the full view for approvers, or the agent's own request (status, the approver's comment) with its access token. " +
            "wait=N (at most 30) answers as soon as the status changes, or after N seconds",
          security: [{ apiKey: [] }, { agentToken: [] }],
          parameters: queryParams(getApprovalQuery),
          responses: { "200": ok("The request"), "404": ok("Not found (or another agent's)", "Error"), ...errors },
        },
      },
      "/approvals/{approvalId}/decide": {
        parameters: [idParam("approvalId")],
        post: {
          summary:
            "An eligible approver (console role approver or admin, Approver role on the node or above, allowed by the tool's policy) approves, " +
            "re-entering their password, or denies. Console sessions only: API keys cannot re-authenticate",
          requestBody: { required: true, content: json(decideApprovalInput) },
          responses: {
            "200": ok("The request after the vote (still pending while a quorum waits)"),
            "404": ok("Not found", "Error"),
            "409": ok("Already decided (details say by whom), cancelled or expired; or already voted", "Error"),
            "429": ok("Too many wrong passwords", "Error"),
            ...errors,
          },
        },
      },
      "/approvals/{approvalId}/cancel": {
        parameters: [idParam("approvalId")],
        post: {
          summary: "Withdraw a pending request: the agent that asked (access token) or an admin",
          security: [{ apiKey: [] }, { agentToken: [] }],
          responses: { "200": ok("The request"), "404": ok("Not found (or another agent's)", "Error"), "409": ok("No longer pending", "Error"), ...errors },
        },
      },
      "/audit-events": {
        get: {
          summary:
            "The audit trail, newest first (keyset paging with cursor). Filters: agent (actor or target), user (actor), action (exact, or a prefix " +
            "ending in a dot: decision.), result, from (inclusive) and to (exclusive) as ISO 8601, node (a resource node id or path: its subtree)",
          parameters: queryParams(listEventsQuery),
          responses: { "200": ok("{ events: AuditEvent[], nextCursor }"), ...errors },
        },
      },
      "/audit-events/export": {
        get: {
          summary:
            "Export the filtered range as JSON Lines (format=jsonl) or CSV (format=csv, RFC 4180, formula cells prefixed with '), streamed as a file " +
            "(admin, auditor). Covers the trail up to the export's own audit.export event, which records the filters",
          parameters: queryParams(exportEventsQuery),
          responses: { "200": { description: "The file (Content-Disposition: attachment)" }, ...errors },
        },
      },
      "/audit-events/{eventId}": {
        parameters: [idParam("eventId")],
        get: {
          summary: "One audit event with its hash-chain position (seq, prevHash, hash) (admin, auditor)",
          responses: { "200": ok("The event", "AuditEvent"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/audit-events/verify": {
        post: {
          summary: "Verify the audit hash chain: every hash, link, position and signed checkpoint (admin, auditor)",
          parameters: queryParams(verifyChainQuery),
          responses: {
            "200": ok("{ ok, checkedEvents, headSeq, checkpointsVerified, legacyEvents, durationMs, problem: null | { kind: altered|deleted|inserted|checkpoint_mismatch, seq, eventId, message } }"),
            ...errors,
          },
        },
      },
      "/alerts": {
        get: {
          summary:
            "Anomaly alerts newest first (keyset paging with cursor): outside_task, new_tool, denial_burst, outside_window; each names the decision (audit event) that raised it. " +
            "Filters: agent, rule, acknowledged. Also openCount (unacknowledged, for the agent when filtered)",
          parameters: queryParams(listAlertsQuery),
          responses: { "200": ok("{ alerts: Alert[], nextCursor, openCount }"), ...errors },
        },
      },
      "/alerts/{alertId}/acknowledge": {
        parameters: [idParam("alertId")],
        post: {
          summary: "Acknowledge an alert (admins); recorded as alert.acknowledge",
          responses: { "200": ok("The alert"), "404": ok("Not found", "Error"), "409": ok("Already acknowledged (the message says by whom)", "Error"), ...errors },
        },
      },
      "/settings/alerts": {
        get: { summary: "The anomaly rules' settings: denialBurst { count, minutes } (admins)", responses: { "200": ok("{ denialBurst: { count, minutes } }"), ...errors } },
        put: {
          summary: "Set the denial burst threshold: an alert when an agent is denied `count` times within `minutes` (admins; default 10 in 5)",
          requestBody: { required: true, content: json(alertSettingsInput) },
          responses: { "200": ok("{ denialBurst: { count, minutes } }"), ...errors },
        },
      },
      "/posture": {
        get: {
          summary: "The agent-auth implementation checklist evaluated against live data (admins, auditors): each item pass, fail or unknown with its evidence and a fix link",
          responses: { "200": ok("{ evaluatedAt, items: { id, checklist, title, status, evidence[], fix }[], summary }"), ...errors },
        },
      },
      "/webhooks": {
        get: { summary: "List outbound webhooks (admins only)", responses: { "200": ok("{ webhooks: Webhook[] }"), ...errors } },
        post: {
          summary:
            "Register a webhook (http or https; hosts resolving to internal addresses are refused); its signing secret (whsec_...) is in this response only. " +
            "Deliveries carry Deputy-Webhook-Id, Deputy-Webhook-Timestamp and Deputy-Webhook-Signature: v1=<hex HMAC-SHA-256 of \"<timestamp>.<body>\">",
          requestBody: { required: true, content: json(createWebhookInput) },
          responses: { "201": ok("{ webhook: Webhook, secret }"), ...errors },
        },
      },
      "/webhooks/{webhookId}": {
        parameters: [idParam("webhookId")],
        get: { summary: "Get a webhook", responses: { "200": ok("The webhook", "Webhook"), "404": ok("Not found", "Error"), ...errors } },
        patch: {
          summary: "Change a webhook's name, URL, events or enabled flag",
          requestBody: { required: true, content: json(updateWebhookInput) },
          responses: { "200": ok("The webhook", "Webhook"), "404": ok("Not found", "Error"), ...errors },
        },
        delete: { summary: "Delete a webhook and its delivery log", responses: { "200": ok("{ id, name, deliveryCount }"), "404": ok("Not found", "Error"), ...errors } },
      },
      "/webhooks/{webhookId}/rotate-secret": {
        parameters: [idParam("webhookId")],
        post: {
          summary: "Replace the signing secret at once; the new one is in this response only",
          responses: { "200": ok("{ webhook: Webhook, secret }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/webhooks/{webhookId}/test": {
        parameters: [idParam("webhookId")],
        post: {
          summary: "Send a signed webhook.test event to this webhook now",
          responses: { "201": ok("The delivery", "WebhookDelivery"), "404": ok("Not found", "Error"), "409": ok("Disabled", "Error"), ...errors },
        },
      },
      "/webhooks/{webhookId}/deliveries": {
        parameters: [idParam("webhookId")],
        get: {
          summary: "The delivery log, newest first (keyset paging with cursor)",
          parameters: queryParams(listDeliveriesQuery),
          responses: { "200": ok("{ deliveries: WebhookDelivery[], nextCursor }"), "404": ok("Not found", "Error"), ...errors },
        },
      },
      "/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": {
        parameters: [idParam("webhookId"), idParam("deliveryId")],
        post: {
          summary: "Queue a delivered or failed delivery again (same body and id), with a fresh set of attempts",
          responses: { "200": ok("The delivery", "WebhookDelivery"), "404": ok("Not found", "Error"), "409": ok("Already queued", "Error"), ...errors },
        },
      },
    },
  };
}
