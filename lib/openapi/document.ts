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
import { createGrantInput, listGrantsQuery } from "@/lib/grants/schemas";
import { createResourceServerInput, rotateResourceServerSecretInput } from "@/lib/resource-servers/schemas";
import { createNodeInput, createNodeTypeInput, deleteNodeQuery, listResourcesQuery, updateNodeInput } from "@/lib/resources/schemas";
import { createRoleInput, updateRoleInput } from "@/lib/roles/schemas";
import { listToolsQuery } from "@/lib/tools/list-tools";
import { createToolInput, updateToolInput } from "@/lib/tools/schemas";
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
          summary: "Delete a node; refused while it has children or unrevoked grants unless cascade=true, which deletes the subtree and its grants",
          parameters: queryParams(deleteNodeQuery),
          responses: { "200": ok("{ id, path, nodeCount, grantCount, nodeIds, grantIds }"), "404": ok("Not found", "Error"), "409": ok("Has children or grants", "Error"), ...errors },
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
          summary: "Change a tool's description, parameter schema or risk (a new risk moves it between the built-in roles)",
          requestBody: { required: true, content: json(updateToolInput) },
          responses: { "200": ok("The tool", "Tool"), "404": ok("Not found", "Error"), ...errors },
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
