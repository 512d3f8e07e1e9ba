// GET /api/v1/openapi.json: the document is public, and describes the routes that exist.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { json } from "../helpers/http";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

async function document() {
  const res = GET();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  return json(res);
}

describe("GET /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1.0 with the API's server and bearer security", async () => {
    const doc = await document();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "http://localhost:3000/api/v1" }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ apiKey: [] }]);
  });

  it("documents /users, /api-keys and /audit-events", async () => {
    const doc = await document();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/users", "/users/{userId}", "/api-keys", "/api-keys/{keyId}", "/audit-events", "/me"]));
    expect(Object.keys(doc.paths["/users"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api-keys"]).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/audit-events"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["action", "actorId", "cursor", "limit"]),
    );
  });

  it("takes the POST /users body schema from the zod schema the route parses with", async () => {
    const doc = await document();
    const schema = doc.paths["/users"].post.requestBody.content["application/json"].schema;
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties).sort()).toEqual(["email", "name", "password", "role"]);
    expect(schema.properties.email).toMatchObject({ type: "string" });
    expect(schema.required).toEqual(["email"]);
    expect(schema.properties.role.enum).toEqual(["admin", "approver", "auditor", "viewer"]);
    expect(schema.properties.password.minLength).toBe(12);
    // PATCH is strict: the document says so too
    expect(doc.paths["/users/{userId}"].patch.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
  });

  it("every $ref resolves to a component schema", async () => {
    const doc = await document();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of new Set(refs)) expect(doc.components.schemas).toHaveProperty(name);
  });

  it("documents only routes that exist, with the methods they export", async () => {
    const doc = await document();
    for (const [p, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      const file = path.join(repoRoot, "app/api/v1", p.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(fs.existsSync(file), `${p} -> ${file}`).toBe(true);
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of Object.keys(item).filter((k) => k !== "parameters")) {
        expect(typeof mod[method.toUpperCase()], `${method.toUpperCase()} ${p}`).toBe("function");
      }
    }
  });
});
