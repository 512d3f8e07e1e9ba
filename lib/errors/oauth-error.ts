// Errors of the OAuth endpoints, as RFC 6749 section 5.2 spells them (plus RFC 8707's invalid_target and RFC 9396's
// invalid_authorization_details).
export const OAUTH_ERROR_STATUS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_token_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  /** RFC 9396 5: authorization_details of an unknown type, malformed, or asking more than may be granted */
  invalid_authorization_details: 400,
  server_error: 500,
  temporarily_unavailable: 503,
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERROR_STATUS;

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** a status other than the code's usual one (413 for a huge body, 429 while throttled), and extra headers */
    readonly options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(description);
  }

  get status(): number {
    return this.options.status ?? OAUTH_ERROR_STATUS[this.code];
  }
}
