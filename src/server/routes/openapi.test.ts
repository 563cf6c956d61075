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
  expect(JSON.stringify(doc.paths['/api/v1/destinations/{id}'].get.responses['200'])).not.toContain('"secret"');
});
