// boruta's JSON-schema wording for absent request properties (reference 5.4-5.6).
import { oauthError, type JsonError } from '../../http/errors.js';

/** 400 invalid_request naming the absent properties in schema order, or null when none is absent. */
export function missingProperties(required: readonly [name: string, present: boolean][]): JsonError | null {
  const missing = required.filter(([, present]) => !present).map(([name]) => name);
  if (missing.length === 0) return null;
  const what = missing.length === 1 ? `Required property ${missing[0]} is` : `Required properties ${missing.join(', ')} are`;
  return oauthError(400, 'invalid_request', `Request body validation failed. ${what} missing at #.`);
}

/** boruta's UUID pattern for client_id (its token and authorize schemas). */
export const CLIENT_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The schema's description of a client_id that is not UUID-shaped; `prefix` is "Query params" or "Request body". */
export const clientIdPatternDescription = (prefix: string): string =>
  `${prefix} validation failed. #/client_id do match required pattern /${CLIENT_ID_PATTERN.source}/.`;
