/** google.rpc.Code names by HTTP status, as Google APIs pair them (AIP-193). */
export type RpcStatus =
  | 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'NOT_FOUND'
  | 'ALREADY_EXISTS' | 'RESOURCE_EXHAUSTED' | 'INTERNAL' | 'UNAVAILABLE' | 'DEADLINE_EXCEEDED';

const statusOfCode: Readonly<Record<number, RpcStatus>> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

/** An error the fake answers with as a `google.rpc.Status` body: `{"error":{"code","message","status","details"?}}`. */
export class JulesRpcError extends Error {
  override readonly name = 'JulesRpcError';

  constructor(
    readonly code: number,
    message: string,
    readonly status: RpcStatus = statusOfCode[code] ?? 'INTERNAL',
    /** `google.rpc.ErrorInfo.reason`, e.g. `API_KEY_INVALID`; adds a `details` entry. */
    readonly reason?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const details = this.reason === undefined ? {} : {
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: this.reason, domain: 'googleapis.com', metadata: { service: 'jules.googleapis.com' } }],
    };
    return { error: { code: this.code, message: this.message, status: this.status, ...details } };
  }
}

/** The 404 the real API answers for an unknown resource (seen in google-labs-code/jules-sdk#19). */
export function entityNotFound(): JulesRpcError {
  return new JulesRpcError(404, 'Requested entity was not found.', 'NOT_FOUND');
}
