import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * On a route that declares `config.ifMatch`: the version its `If-Match` names, `'*'` for any, or null for a tag
     * that can never match (weak, several, not ours). Read by the hook below, before the handler.
     */
    ifMatch: number | '*' | null;
  }
}

/**
 * The version an `If-Match` names, '*' for any. Without the header, a browser session gets a 428 (the app's pages
 * always send it, so a page that stopped would be caught); an API key's write applies, as if it said '*' —
 * Unstructured's clients never send the header. When a key sends it, it is enforced all the same.
 */
export function requiredVersion(request: FastifyRequest): number | '*' | null {
  const ifMatch = request.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (request.apiKey) return '*';
    throw new HttpError(428, 'Send If-Match with the ETag of your last read, so changes made elsewhere are not overwritten');
  }
  if (ifMatch.trim() === '*') return '*';
  // Strong comparison (RFC 9110): a weak tag never matches.
  const tags = ifMatch.split(',').map((tag) => /^\s*"(\d+)"\s*$/.exec(tag)?.[1]);
  const versions = tags.filter((v): v is string => v !== undefined).map(Number);
  return versions.length === 1 ? (versions[0] ?? null) : null;
}

export const changedElsewhere = (what: string) =>
  new HttpError(412, `This ${what} was changed elsewhere since you read it; reload it and make your change again`);

/** The version a write may replace: the record's, when `If-Match` named it or any; else a 412. */
export function ensureCurrent(record: { version: number }, request: FastifyRequest, what: string): number {
  if (request.ifMatch !== '*' && request.ifMatch !== record.version) throw changedElsewhere(what);
  return record.version;
}

/**
 * Enforces `If-Match` once, for every route of `instance` that declares `config.ifMatch` (the declaration the OpenAPI
 * document also reads): the header is read before the handler runs (428 without it, for a browser session), and the
 * handler compares the version with `ensureCurrent`. A route that does not declare it never sees the header read.
 */
export function enforceIfMatch(instance: FastifyInstance) {
  instance.decorateRequest('ifMatch', null);
  instance.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.ifMatch) request.ifMatch = requiredVersion(request);
  });
}
