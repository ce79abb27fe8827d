/**
 * A GitHub API error the fake answers with: status, GitHub's message, and extra body fields (`errors` for
 * 422s). Thrown by the domain and route code; the HTTP layer turns it into the JSON body GitHub sends.
 */
export class FakeApiError extends Error {
  override readonly name = 'FakeApiError';
  readonly kind = 'fakeApi';

  constructor(readonly status: number, message: string, readonly extra: Readonly<Record<string, unknown>> = {}) {
    super(message);
  }
}

export function notFound(): FakeApiError {
  return new FakeApiError(404, 'Not Found');
}

/** GitHub's 422 for a field that fails a rule: `{"message":"Validation Failed","errors":[{resource, field, code}]}`. */
export function validationFailed(resource: string, field: string, code: string, extra: Readonly<Record<string, unknown>> = {}): FakeApiError {
  return new FakeApiError(422, 'Validation Failed', { errors: [{ resource, field, code, ...extra }] });
}
