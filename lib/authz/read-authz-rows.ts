// Reads the two big tables a snapshot needs (nodes and live grants) straight from the driver, as arrays, in one
// read transaction. Prisma builds an object per row and took 45 s for a million grants here; this takes seconds.
// Times come back as epoch milliseconds.
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider } from "@/lib/db/client";
import { absoluteDatabaseUrl } from "@/lib/db/url";
import { env } from "@/lib/env";

/** id, parentId, type, name */
export type NodeRow = [string, string | null, string, string];
/** id, principalType, principalId, roleId, toolId, nodeId, constraints, notBefore, expiresAt, schedule, requiresApproval */
export type GrantRow = [string, string, string, string | null, string | null, string, string, number | null, number | null, string | null, boolean];

const NODES = `SELECT "id", "parentId", "type", "name" FROM "ResourceNode"`;

export async function readAuthzRows(): Promise<{ nodes: NodeRow[]; grants: GrantRow[] }> {
  return databaseProvider() === "postgresql" ? readPostgres() : readSqlite();
}

function readSqlite(): { nodes: NodeRow[]; grants: GrantRow[] } {
  const db = new Database(absoluteDatabaseUrl(env().DATABASE_URL).slice("file:".length), { readonly: true, fileMustExist: true });
  try {
    // one read transaction: both tables as of one moment (WAL readers see a snapshot)
    return db.transaction(() => {
      const nodes = db.prepare(NODES).raw(true).all() as NodeRow[];
      const grants = db
        .prepare(
          `SELECT "id", "principalType", "principalId", "roleId", "toolId", "nodeId", "constraints", "notBefore", "expiresAt", "schedule", "requiresApproval" FROM "Grant" WHERE "revokedAt" IS NULL`,
        )
        .raw(true)
        .all() as unknown[][];
      for (const g of grants) {
        // Prisma stores SQLite times as ISO text and booleans as 0/1
        g[7] = g[7] === null ? null : Date.parse(g[7] as string);
        g[8] = g[8] === null ? null : Date.parse(g[8] as string);
        g[10] = g[10] === 1;
      }
      return { nodes, grants: grants as GrantRow[] };
    })();
  } finally {
    db.close();
  }
}

async function readPostgres(): Promise<{ nodes: NodeRow[]; grants: GrantRow[] }> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const nodes = await client.query<NodeRow>({ text: NODES, rowMode: "array" });
    // timestamp(3) columns hold UTC wall times: EXTRACT(EPOCH) reads them without any session time zone
    const grants = await client.query<GrantRow>({
      text: `SELECT "id", "principalType", "principalId", "roleId", "toolId", "nodeId", "constraints",
        (EXTRACT(EPOCH FROM "notBefore") * 1000)::float8, (EXTRACT(EPOCH FROM "expiresAt") * 1000)::float8,
        "schedule", "requiresApproval" FROM "Grant" WHERE "revokedAt" IS NULL`,
      rowMode: "array",
    });
    await client.query("COMMIT");
    return { nodes: nodes.rows, grants: grants.rows };
  } finally {
    await client.end();
  }
}
