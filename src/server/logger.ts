import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream } from 'pino';

export const CENSOR = '[redacted]';

/**
 * Fields whose values are credentials, redacted by name down to four levels (pino's paths are fixed-depth; deeper
 * copies are caught by the value scrub below): our fields, HTTP credentials, and the parts of an SDK error that embed
 * the signed request (ExpiredToken carries the token as `Token-0`, SignatureDoesNotMatch the canonical request).
 */
const SECRET_FIELDS = [
  'secret',
  'token',
  'password',
  'authorization',
  'cookie',
  'set-cookie',
  'unstructured-api-key',
  'x-amz-security-token',
  'secretAccessKey',
  'SecretAccessKey',
  'sessionToken',
  'SessionToken',
  'Token-0',
  'CanonicalRequest',
  'CanonicalRequestBytes',
  'StringToSign',
  'StringToSignBytes',
  'secret_enc',
  'token_enc',
  'config_enc',
  '$response',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : prefix ? `${prefix}.${key}` : key);
  return ['', '*', '*.*', '*.*.*'].map(join);
});

/**
 * The secrets in flight — of the requests being answered and the checks being run — in every form a log line could
 * carry them: raw, JSON-escaped, URL-encoded, hex (plain or byte-spaced, as AWS's CanonicalRequestBytes) and base64
 * at each of its three alignments. Every line written is scrubbed of all of them.
 */
const MIN_SCRUB_LENGTH = 8;
const live = new Map<string, { count: number; forms: string[] }>();
let scrubForms: string[] = [];

function formsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const hex = bytes.toString('hex');
  const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
  const base64 = [0, 1, 2].flatMap((offset) => {
    // The value inside a longer base64 text: encode it after `offset` filler bytes and keep the characters that
    // depend on the value alone.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    const middle = encoded.slice(start, end);
    return [middle, middle.replaceAll('+', '-').replaceAll('/', '_')];
  });
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    hex,
    hex.toUpperCase(),
    spaced,
    spaced.toUpperCase(),
    ...base64,
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
}

function refreshForms() {
  scrubForms = [...new Set([...live.values()].flatMap((entry) => entry.forms))].sort((a, b) => b.length - a.length);
}

/** Keeps `values` out of every log line until the returned release is called (once is enough; more is harmless). */
export function holdSecrets(values: (string | null | undefined)[]): () => void {
  const held = values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SCRUB_LENGTH);
  for (const value of held) {
    const entry = live.get(value);
    if (entry) entry.count += 1;
    else live.set(value, { count: 1, forms: formsOf(value) });
  }
  if (held.length > 0) refreshForms();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const value of held) {
      const entry = live.get(value);
      if (entry && --entry.count === 0) live.delete(value);
    }
    if (held.length > 0) refreshForms();
  };
}

export function scrubSecrets(line: string): string {
  let out = line;
  for (const form of scrubForms) if (out.includes(form)) out = out.replaceAll(form, CENSOR);
  return out;
}

/** A request as a log line shows it: the path without the query's values (a query could carry anything). */
function serializeRequest(request: FastifyRequest) {
  const [path = '', query] = request.url.split('?', 2);
  const keys = query ? [...new URLSearchParams(query).keys()] : [];
  return {
    method: request.method,
    path,
    ...(keys.length > 0 ? { query_keys: [...new Set(keys)].slice(0, 20) } : {}),
    remoteAddress: request.ip,
  };
}

export const logSerializers = {
  req: serializeRequest,
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  err: pino.stdSerializers.err,
};

export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level,
    serializers: logSerializers,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    hooks: { streamWrite: scrubSecrets },
    ...(stream ? { stream } : {}),
  };
}
