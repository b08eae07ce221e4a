// The answers a mock sends when it injects a 429 or an error status. A mock of a real API
// passes that API's own error bodies (the TMDB mock does); any other mock gets these.
// Retry-After is added by the server itself, whatever the body.

export interface CannedResponse {
  status: number;
  /** Serialised as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface FaultResponses {
  rateLimit(limitPerSecond: number): CannedResponse;
  error(status: number): CannedResponse;
}

export const genericFaultResponses: FaultResponses = {
  rateLimit: (limitPerSecond) => ({
    status: 429,
    body: { error: 'rate limit exceeded', limit: `${limitPerSecond}/s`, injectedBy: 'smokestack' },
  }),
  error: (status) => ({ status, body: { error: 'injected fault', status, injectedBy: 'smokestack' } }),
};
