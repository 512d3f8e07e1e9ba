// The one place unexpected errors are logged. Whole errors go to the server log; responses never carry them.
export function logUnexpected(where: string, error: unknown): void {
  console.error(`[deputy] unexpected error in ${where}:`, error);
}
