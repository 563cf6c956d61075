import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import OpenAPIClientAxios, { type OpenAPIClient } from 'openapi-client-axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { credentialsOf } from '../test-support/checks.ts';
import { buildTestApp, createApiKey, TEST_PASSWORD, type TestApp } from '../test-support/test-app.ts';

type Operation = {
  operationId: string;
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: object }> }>;
  security?: unknown[];
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

let s3: LocalS3;
let t: TestApp;
let doc: Document;
let resolved: Document;
let origin: string;
beforeAll(async () => {
  s3 = await startLocalS3();
  t = await buildTestApp({ checkTimeoutMs: 5_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  doc = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  if (!result.valid) throw new Error(`the OpenAPI document is not valid: ${JSON.stringify(result.errors, null, 2)}`);
  resolved = validator.resolveRefs() as Document;
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI document (checked against the specification’s own JSON Schema)', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('says how to authenticate: the session cookie, Authorization: Bearer or unstructured-api-key; none on the public routes', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'session' },
      bearerApiKey: { type: 'http', scheme: 'bearer' },
      unstructuredApiKey: { type: 'apiKey', in: 'header', name: 'unstructured-api-key' },
    });
    const open = operations(doc).filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0);
    expect(open.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual([
      'GET /api/health',
      'GET /api/health/live',
      'GET /api/health/ready',
      'GET /api/session',
      'POST /api/session',
      'POST /api/user-links/lookup',
      'POST /api/user-links/use',
    ]);
  });

  it('documents If-Match on update and delete, ETag on what answers a destination, and the event stream as text/event-stream', () => {
    for (const [path, method] of [
      ['/api/v1/destinations/{id}', 'put'],
      ['/api/v1/destinations/{id}', 'delete'],
    ] as const) {
      const parameters = (doc.paths[path]?.[method] as unknown as { parameters: { in: string; name: string; required?: boolean }[] }).parameters;
      expect(parameters, `${method} ${path}`).toContainEqual(expect.objectContaining({ in: 'header', name: 'if-match', required: false }));
    }
    for (const [path, method] of [
      ['/api/v1/destinations/{id}', 'get'],
      ['/api/v1/destinations/{id}', 'put'],
      ['/api/v1/destinations', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.responses['200']?.headers, `${method} ${path}`).toHaveProperty('etag');
    }
    expect(Object.keys(doc.paths['/api/v1/destinations']?.post?.responses ?? {})).toContain('200');
    expect(Object.keys(doc.paths['/api/v1/connection-checks/{check_id}/events']?.get?.responses['200']?.content ?? {})).toEqual([
      'text/event-stream',
    ]);
  });
});

describe('a client generated from the document (openapi-client-axios), with an API key', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);

  /** What the document says of this operation's answer with this status: documented, its media type, its schema, its headers. */
  function expectDocumented(operationId: string, response: { status: number; headers: Record<string, unknown>; data: unknown }) {
    const found = operations(resolved).find(({ operation }) => operation.operationId === operationId);
    if (!found) throw new Error(`${operationId} is not in the document`);
    const documented = found.operation.responses[String(response.status)];
    expect(
      documented,
      `${operationId} answered ${response.status}, which the document does not list: ${JSON.stringify(response.data)}`,
    ).toBeDefined();
    if (!documented?.content) return;
    const type = String(response.headers['content-type'] ?? '').split(';')[0] ?? '';
    expect(Object.keys(documented.content), `${operationId} ${response.status} content type`).toContain(type);
    const schema = documented.content[type]?.schema;
    if (schema && type === 'application/json') {
      const validate = ajv.compile(schema);
      expect(validate(response.data) ? [] : validate.errors, `${operationId} ${response.status} body`).toEqual([]);
    }
    for (const header of Object.keys(documented.headers ?? {})) expect(response.headers[header], `${operationId}: ${header}`).toBeDefined();
  }

  it('calls every documented operation: each answer is one the document lists, in its media type and shape', async () => {
    const { key } = await createApiKey(t, { role: 'editor' });
    const api = new OpenAPIClientAxios({
      definition: structuredClone(doc) as never,
      withServer: { url: origin },
      axiosConfigDefaults: { headers: { 'unstructured-api-key': key }, validateStatus: () => true, transitional: { silentJSONParsing: true } },
    });
    const client = (await api.init()) as OpenAPIClient;
    const called = new Set<string>();
    const call = async (operationId: string, params?: unknown, data?: unknown) => {
      const operation = (
        client as unknown as Record<
          string,
          (p?: unknown, d?: unknown) => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>
        >
      )[operationId];
      if (!operation) throw new Error(`the generated client has no ${operationId}`);
      const response = await operation(params, data);
      expectDocumented(operationId, response);
      called.add(operationId);
      return response;
    };

    const config = { remote_url: 's3://local-bucket/openapi/', endpoint_url: s3.endpoint, ...credentialsOf(IDENTITIES.writer) };
    const created = await call('create_destination', null, { name: 'Generated client', type: 's3', config });
    expect(created.status).toBe(200);
    const id = (created.data as { id: string }).id;
    expect((await call('list_destinations')).status).toBe(200);
    expect((await call('get_destination', { id })).status).toBe(200);
    expect((await call('update_destination', { id }, { config: { region: 'us-east-1' } })).status).toBe(200);
    expect((await call('get_destination_activity', { id })).status).toBe(200);

    const check = await call('create_connection_check_destinations', { id });
    expect(check.status).toBe(202);
    const checkId = (check.data as { id: string }).id;
    const stream = await call('stream_connection_check_events', { check_id: checkId });
    expect(stream.status).toBe(200);
    expect(String(stream.data)).toContain('event: check');
    expect((await call('get_connection_check_destinations', { id })).status).toBe(200);
    expect((await call('list_connection_checks_destinations', { id })).status).toBe(200);
    expect((await call('get_connection_check', { check_id: checkId })).status).toBe(200);
    expect((await call('cancel_connection_check', { check_id: checkId })).status).toBe(409);
    const unsaved = await call('check_unsaved_config', null, { type: 's3', config });
    expect(unsaved.status).toBe(202);
    expect((await call('delete_destination', { id })).status).toBe(200);
    // IAM roles are off on this server (ALLOW_IAM_ROLES): said, and no external ID is made.
    expect((await call('get_iam_role_settings')).data).toMatchObject({ allowed: false, principal_arn: null });
    expect((await call('create_external_id')).status).toBe(403);
    // Where alerts go is the admin's: an editor key is refused each, as documented.
    expect((await call('list_webhooks')).status).toBe(403);
    expect((await call('create_webhook', null, { name: 'hook', url: 'https://hooks.example.com/x' })).status).toBe(403);
    for (const operationId of ['delete_webhook', 'enable_webhook', 'test_webhook', 'list_webhook_deliveries']) {
      expect((await call(operationId, { id: '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d' })).status, operationId).toBe(403);
    }

    expect((await call('health')).status).toBe(200);
    expect((await call('health_live')).status).toBe(200);
    expect((await call('health_ready')).data).toEqual({ status: 'ready' });
    expect((await call('about')).data).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/), schema_version: expect.any(Number) });
    expect((await call('get_session')).data).toEqual({ signed_in: false, sign_in: { password: true, oidc: null }, ended: null });
    expect((await call('sign_in', null, { email: 'admin', password: `${TEST_PASSWORD} not` })).status).toBe(401);
    expect((await call('sign_out')).status).toBe(403);
    // The admin's own: an editor key is refused each of them, as documented.
    for (const operationId of ['list_api_keys', 'list_api_key_activity']) expect((await call(operationId)).status, operationId).toBe(403);
    expect((await call('create_api_key', null, { name: 'minted', role: 'editor' })).status).toBe(403);
    expect((await call('revoke_api_key', { id: '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d' })).status).toBe(403);
    const someone = { id: '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d' };
    expect((await call('list_users')).status).toBe(403);
    expect((await call('invite_user', null, { email: 'ana@example.com', role: 'viewer' })).status).toBe(403);
    expect((await call('change_user_role', someone, { role: 'admin' })).status).toBe(403);
    for (const operationId of ['deactivate_user', 'reactivate_user', 'create_user_link'])
      expect((await call(operationId, someone)).status, operationId).toBe(403);
    // One-time links are public: an unknown token is a 404 with words, as documented.
    expect((await call('lookup_user_link', null, { token: 'not-a-real-token' })).status).toBe(404);
    expect((await call('use_user_link', null, { token: 'not-a-real-token', password: 'a long enough password' })).status).toBe(404);
    expect((await call('set_sign_in_settings', null, { password_sign_in: false })).status).toBe(403);
    expect((await call('list_activity', { group: 'sign_ins' })).status).toBe(403);
    // Sessions are people's: a key has none to list or end.
    expect((await call('list_sessions')).status).toBe(403);
    expect((await call('end_session', { id: '0123456789abcdef0123456789abcdef' })).status).toBe(403);

    const documented = operations(doc).map(({ operation }) => operation.operationId);
    expect(new Set(documented).size, 'operationIds are unique').toBe(documented.length);
    expect([...called].sort()).toEqual([...documented].sort());
  });
});
