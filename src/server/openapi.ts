import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Its answers carry `ETag: "<version>"` (documented on its 2xx responses). */
    etag?: boolean;
    /** It takes `If-Match` (documented as a header parameter; required for a browser session, optional for an API key). */
    ifMatch?: boolean;
  }
}

/**
 * How a caller authenticates, as the document says it: the browser's session cookie, or an API key in either of the
 * two headers scripts use. Any one of them is enough.
 */
export const SECURITY_SCHEMES = {
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'session',
    description:
      'The browser session (POST /api/session). Requests that change data must also come from the app’s origin and carry X-Requested-With: XMLHttpRequest.',
  },
  bearerApiKey: { type: 'http', scheme: 'bearer', description: 'An API key (s3dk_…), created on the API keys screen. No CSRF header needed.' },
  unstructuredApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'unstructured-api-key',
    description: 'An API key in the header Unstructured’s SDK sends. When a key is present the cookie is ignored.',
  },
} as const;
export const SECURITY = Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [] }));

const IF_MATCH = {
  type: 'string',
  description:
    'The ETag of your last read ("3"), or *. Required for a browser session (428 without it); optional for an API key, and enforced when sent (412 when the destination changed since).',
};
const ETAG = { type: 'string', description: 'The destination’s version, quoted ("3"): send it back as If-Match to change or delete it.' };

/**
 * OpenAPI 3.0.3 says `nullable: true` does not widen an `enum`: null must be one of its values. zod writes a nullable
 * literal (the secret mask) as `{enum: ["**********"], nullable: true}`, which a strict validator (Ajv, as generated
 * clients use) reads as "never null": null is added to such enums. Walks the document this server generates (not
 * request data), to a fixed depth.
 */
function nullInNullableEnums(node: unknown, depth = 0): void {
  if (depth > 64 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) nullInNullableEnums(item, depth + 1);
    return;
  }
  const schema = node as Record<string, unknown>;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  for (const value of Object.values(schema)) nullInNullableEnums(value, depth + 1);
}

/** The whole document: the shared schemas as components, nullable enums made to say so. */
export function documentObject(input: Parameters<typeof jsonSchemaTransformObject>[0]) {
  const document = jsonSchemaTransformObject(input);
  nullInNullableEnums(document);
  return document;
}

type TransformInput = Parameters<NonNullable<FastifyDynamicSwaggerOptions['transform']>>[0];
type RouteSchema = Record<string, unknown> & { response?: Record<string, Record<string, unknown>>; headers?: unknown };

/**
 * Each route's entry in the document: its zod schemas as JSON Schema (fastify-type-provider-zod), then what the
 * route's options say that its schemas cannot — who may call it, and the HTTP headers it reads and answers with.
 */
export function documentRoute(input: TransformInput): { schema: RouteSchema; url: string } {
  const { schema, url } = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]) as { schema: RouteSchema; url: string };
  const config = input.route.config ?? {};
  const out: RouteSchema = { ...schema };
  nullInNullableEnums(out);
  if (config.access === 'public') out.security = [];
  else if (config.access) {
    out['x-required-role'] = config.access;
    out.description = [out.description, `Needs the ${config.access} role (the admin's session has every role; an API key has its own).`]
      .filter(Boolean)
      .join(' ');
  }
  if (config.ifMatch) out.headers = { type: 'object', properties: { 'if-match': IF_MATCH } };
  if (config.etag && out.response) {
    out.response = Object.fromEntries(
      Object.entries(out.response).map(([status, response]) => [
        status,
        status.startsWith('2') ? { ...response, headers: { etag: ETAG } } : response,
      ]),
    );
  }
  return { schema: out, url };
}
