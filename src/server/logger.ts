import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

const CENSOR = '[redacted]';
/**
 * Keys whose values are credentials, at any depth: our fields, HTTP credentials, and the parts of an SDK error that
 * embed the signed request (a SignatureDoesNotMatch error carries the canonical request, session token included).
 */
const SECRET_KEY = /^(secret|token|password|authorization|cookie|set-cookie|x-amz-security-token|secretaccesskey|sessiontoken|canonicalrequest|stringtosign|secret_enc|token_enc|config_enc)$/i;

/** A copy of `value` with every credential-bearing key blanked, however deep (pino's paths only go a fixed depth). */
export function redactDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = SECRET_KEY.test(key) ? CENSOR : redactDeep(item, seen);
  if (value instanceof Error) {
    copy.type ??= value.name;
    // A raw SDK message may quote the request: only the name and code are kept.
    copy.message = value.name;
  }
  return copy;
}

export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level,
    formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
    ...(stream ? { stream } : {}),
  };
}
