// Inputs of the initial access token use cases, parsed with zod at every boundary (API, console, CLI).
import { z } from "zod";
import { ownerSchema } from "@/lib/agents/schemas";
import { DEFAULT_INITIAL_ACCESS_TOKEN_TTL_HOURS, MAX_INITIAL_ACCESS_TOKEN_TTL_HOURS } from "./limits";

export const issueInitialAccessTokenInput = z.object({
  expiresInHours: z
    .number()
    .int("must be a whole number of hours")
    .min(1, "must be at least 1 hour")
    .max(MAX_INITIAL_ACCESS_TOKEN_TTL_HOURS, `must be at most ${MAX_INITIAL_ACCESS_TOKEN_TTL_HOURS} hours`)
    .default(DEFAULT_INITIAL_ACCESS_TOKEN_TTL_HOURS),
  /**
   * Who will own the agent registered with it (a user id or email). Defaults to the signed-in user who issues it;
   * required when an API key or the CLI issues it, since an agent always has a person who answers for it.
   */
  owner: ownerSchema.optional(),
});
export type IssueInitialAccessTokenInput = z.input<typeof issueInitialAccessTokenInput>;
