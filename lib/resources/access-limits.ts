// Limits of the node access list, without imports: the console's client bundle reads them too.
/** the most grants one GET /resources/{id}/access lists (its total always counts them all) */
export const MAX_ACCESS_LIMIT = 1_000;
