// The one wrapper for /api/v1 route handlers: authenticate, check the role, parse query and body with zod, call the
// use case, serialise, and map every error to the JSON envelope. Routes stay a few lines each.
import type { z } from "zod";
import type { ConsoleRole } from "@/lib/auth/roles";
import { type DbClient, getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { toJsonErrorResponse } from "@/lib/errors/to-json-response";
import { authenticateRequest, type Principal } from "./authenticate-request";
import { securityHeaders } from "./headers";
import { readJson } from "./read-json";

type Spec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  roles: readonly ConsoleRole[];
  body?: B;
  query?: Q;
};

export type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export type ApiContext<B, Q> = {
  request: Request;
  db: DbClient;
  principal: Principal;
  params: Record<string, string>;
  body: B;
  query: Q;
};

export function apiRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: Spec<B, Q>,
  handler: (ctx: ApiContext<Infer<B>, Infer<Q>>) => Promise<unknown>,
) {
  return routeWith(
    spec,
    async (db, request) => {
      const principal = await authenticateRequest(db, request);
      if (!spec.roles.includes(principal.role)) throw new AppError("forbidden", "Your role may not do this");
      return { principal };
    },
    handler,
  );
}

/**
 * What every /api/v1 wrapper shares once its caller is known: `authenticate` names the caller (or throws), then the
 * query and body are parsed with zod, the handler runs, and any error becomes the JSON envelope. apiRoute and
 * agentApiRoute differ only in who may call.
 */
export function routeWith<Who extends object, B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  spec: { body?: B; query?: Q },
  authenticate: (db: DbClient, request: Request) => Promise<Who>,
  handler: (ctx: Who & { request: Request; db: DbClient; params: Record<string, string>; body: Infer<B>; query: Infer<Q> }) => Promise<unknown>,
) {
  return async (request: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const db = getDb();
      const who = await authenticate(db, request);
      const query = spec.query ? spec.query.parse(Object.fromEntries(new URL(request.url).searchParams)) : undefined;
      const body = spec.body ? spec.body.parse(await readJson(request, env().DEPUTY_MAX_JSON_BYTES)) : undefined;
      const params = (await context?.params) ?? {};
      const result = await handler({ ...who, request, db, params, body: body as Infer<B>, query: query as Infer<Q> });
      return result instanceof Response ? result : Response.json(result, { headers: securityHeaders });
    } catch (e) {
      return toJsonErrorResponse(e, `${request.method} ${new URL(request.url).pathname}`);
    }
  };
}

export function created(body: unknown): Response {
  return Response.json(body, { status: 201, headers: securityHeaders });
}
