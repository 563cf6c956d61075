import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('publishes an OpenAPI 3 document generated from the shared schemas', async () => {
  const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  const doc = response.json();
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/v1/destinations', '/api/v1/destinations/{id}', '/api/session', '/api/health']),
  );
  const create = doc.paths['/api/v1/destinations'].post;
  const body = create.requestBody.content['application/json'].schema;
  expect(body.properties.config.properties).toHaveProperty('remote_url');
  expect(body.properties.config.properties).toHaveProperty('token_expires_at');
  expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '409', '422']));
  // A destination's saved secret and token are documented as the mask and nothing else.
  const config = doc.components.schemas.Destination.properties.config.properties;
  for (const field of ['secret', 'token']) expect(config[field]).toMatchObject({ type: 'string', enum: ['**********', null], nullable: true });
  expect(doc.paths['/api/v1/destinations/{id}'].get.responses['200'].content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/Destination',
  });
  expect(Object.keys(doc.paths['/api/v1/connection-checks/{check_id}/cancel'].post.responses)).toEqual(expect.arrayContaining(['202', '409', '404']));
});
