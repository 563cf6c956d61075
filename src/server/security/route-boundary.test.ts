import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, type RawResponse } from '../test-support/raw-http.ts';
import { buildTestApp, createApiKey, createUser, requestWithKey, TEST_ORIGIN, type TestApp } from '../test-support/test-app.ts';
import { createRouteAccess, RouteAccessError, type RouteEntry } from './route-access.ts';
import { PUBLIC_API_ROUTES } from '../test-support/public-routes.ts';
import { PERMISSION_NAMES } from '#shared/permissions';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

const SAMPLE_ID = '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d';
const STATE_CHANGING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

describe('the route table: every route is in the context that enforces its access', () => {
  it('puts exactly the health check, sign-in, one-time links and single sign-on in the public API context', () => {
    const open = t.app.routeTable.filter((r) => r.context === 'public-api').map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual([...PUBLIC_API_ROUTES].sort());
    expect(t.app.routeTable.filter((r) => r.context === 'public-api').every((r) => r.access === 'public')).toBe(true);
  });

  it('puts every other /api route in the protected context, declaring a permission of the table', () => {
    const api = t.app.routeTable.filter((r) => r.url === '/api' || r.url.startsWith('/api/'));
    const protectedRoutes = api.filter((r) => !PUBLIC_API_ROUTES.includes(`${r.method} ${r.url}`));
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(18);
    for (const route of protectedRoutes) {
      expect(PERMISSION_NAMES, `${route.method} ${route.url}`).toContain(route.access);
      // Said again here, independently of the table, so that a row changed by mistake fails: managing people, keys,
      // settings and where alerts go, and everyone's activity, is the admin's; changing anything else an editor's
      // (signing out and ending one's own sessions is anyone's); reading a viewer's.
      const least = ['/api/v1/api-keys', '/api/v1/users', '/api/v1/settings', '/api/v1/activity', '/api/v1/webhooks'].some((prefix) =>
        route.url.startsWith(prefix),
      )
        ? 'admin'
        : STATE_CHANGING.has(route.method) && route.url !== '/api/session' && !route.url.startsWith('/api/v1/sessions')
          ? 'editor'
          : 'viewer';
      expect(route, `${route.method} ${route.url}`).toMatchObject({ context: 'protected-api', least });
    }
  });

  it('uses every permission of the table on some route: a permission no route declares is a row nobody enforces', () => {
    const declared = new Set(t.app.routeTable.map((r) => r.access));
    expect(PERMISSION_NAMES.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('reads If-Match before any handler on every route that declares it: a session without one gets a 428, whatever the id', async () => {
    const declared = t.app.routeTable.filter((r) => r.ifMatch);
    expect(declared.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['DELETE /api/v1/destinations/:id', 'PUT /api/v1/destinations/:id']);
    for (const route of declared) {
      const target = route.url.replace(/:[a-z_]+/g, SAMPLE_ID);
      const headers = { cookie: t.cookie, origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', ...jsonHeaders(route.method) };
      const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
      expect(response.status, `${route.method} ${target}`).toBe(428);
    }
  });

  it('keeps the browser app context free of API routes', () => {
    const browser = t.app.routeTable.filter((r) => r.context === 'browser-app');
    expect(browser.every((r) => !r.url.toLowerCase().startsWith('/api'))).toBe(true);
  });
});

describe('startup refuses a route whose access nobody enforces', () => {
  const tryBuild = async (register: (app: FastifyInstance, access: ReturnType<typeof createRouteAccess>) => Promise<void>) => {
    const app = Fastify();
    const access = createRouteAccess(app);
    try {
      await register(app, access);
      await app.ready();
      return null;
    } catch (error) {
      return error;
    } finally {
      await app.close();
    }
  };

  it('a route registered outside every access context', async () => {
    const error = await tryBuild(async (app) => {
      app.get('/api/stray', { config: { access: 'connectors.read' } }, async () => 'x');
    });
    expect(error).toBeInstanceOf(RouteAccessError);
    expect((error as Error).message).toContain('GET /api/stray');
  });

  it('a route that declares no access', async () => {
    const error = await tryBuild(async (app, access) => {
      await app.register(async (api: FastifyInstance) => {
        access.claim(api, 'protected-api', ['connectors.read']);
        api.get('/api/forgot', async () => 'x');
      });
    });
    expect(error).toBeInstanceOf(RouteAccessError);
    expect((error as Error).message).toMatch(/GET \/api\/forgot declares access nothing/);
  });

  it('a public route registered in the protected context, and a role-protected one in the public context', async () => {
    for (const [context, allowed, declared] of [
      ['protected-api', 'connectors.read', 'public'],
      ['public-api', 'public', 'connectors.write'],
    ] as const) {
      const error = await tryBuild(async (app, access) => {
        await app.register(async (api: FastifyInstance) => {
          access.claim(api, context, [allowed]);
          api.get('/api/misplaced', { config: { access: declared } }, async () => 'x');
        });
      });
      expect(error, context).toBeInstanceOf(RouteAccessError);
    }
  });

  it('builds when every route is claimed and declared', async () => {
    expect(
      await tryBuild(async (app, access) => {
        await app.register(async (api: FastifyInstance) => {
          access.claim(api, 'protected-api', ['connectors.read']);
          api.get('/api/fine', { config: { access: 'connectors.read' } }, async () => 'x');
        });
      }),
    ).toBeNull();
  });
});

/** The route's URL with sample ids, then the other spellings of it that a router or proxy might treat as the same. */
function spellings(route: RouteEntry): { label: string; target: string }[] {
  const url = route.url.replace(/:[a-z_]+/g, SAMPLE_ID);
  const segments = url.split('/').slice(1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const out: { label: string; target: string }[] = [];
  segments.forEach((segment, i) => {
    const letter = /[a-z]/i.exec(segment);
    if (letter) {
      const encoded = `${segment.slice(0, letter.index)}%${letter[0].charCodeAt(0).toString(16)}${segment.slice(letter.index + 1)}`;
      out.push({ label: `percent-encoded letter in segment ${i}`, target: join(segments.map((s, j) => (j === i ? encoded : s))) });
      const upper = `%${letter[0].charCodeAt(0).toString(16).toUpperCase()}`;
      out.push({
        label: `upper-case escape in segment ${i}`,
        target: join(segments.map((s, j) => (j === i ? `${s.slice(0, letter.index)}${upper}${s.slice(letter.index + 1)}` : s))),
      });
    }
    out.push({ label: `// before segment ${i}`, target: join(segments.map((s, j) => (j === i ? `/${s}` : s))) });
    out.push({ label: `/./ before segment ${i}`, target: join(segments.map((s, j) => (j === i ? `./${s}` : s))) });
    out.push({ label: `;param on segment ${i}`, target: join(segments.map((s, j) => (j === i ? `${s};x=1` : s))) });
  });
  out.push({ label: 'as written', target: url });
  out.push({ label: 'upper case', target: url.toUpperCase() });
  out.push({ label: 'first segment upper case', target: join([segments[0]?.toUpperCase() ?? '', ...segments.slice(1)]) });
  out.push({ label: 'trailing slash', target: `${url}/` });
  out.push({ label: '/.. back into the path', target: `/x/..${url}` });
  out.push({ label: 'absolute-form target', target: `http://127.0.0.1:${port}${url}` });
  out.push({ label: 'absolute-form, encoded', target: `http://127.0.0.1:${port}${url.replace('/api', '/%61pi')}` });
  return out;
}

const bodyFor = (method: string) => (STATE_CHANGING.has(method) ? '{}' : undefined);
const jsonHeaders = (method: string): Record<string, string> => (STATE_CHANGING.has(method) ? { 'content-type': 'application/json' } : {});

describe('every protected route, however its URL is spelled', () => {
  const protectedRoutes = () => t.app.routeTable.filter((r) => r.context === 'protected-api');

  it('answers 401 or 404 without a session, never a handler’s answer and never a 5xx', async () => {
    const seen: string[] = [];
    for (const route of protectedRoutes()) {
      for (const { label, target } of spellings(route)) {
        const headers = { origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', ...jsonHeaders(route.method) };
        const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
        seen.push(`${route.method} ${target} (${label}) → ${response.status}`);
        expect([401, 404], `${route.method} ${target} (${label})`).toContain(response.status);
        expect(response.headers['content-security-policy'], `${route.method} ${target}`).toBeDefined();
      }
    }
    expect(seen.length).toBeGreaterThan(200);
  });

  it('answers 403 or 404 to a signed-in state-changing request without X-Requested-With', async () => {
    for (const route of protectedRoutes().filter((r) => STATE_CHANGING.has(r.method))) {
      for (const { label, target } of spellings(route)) {
        const headers = { cookie: t.cookie, ...jsonHeaders(route.method) };
        const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
        expect([403, 404], `${route.method} ${target} (${label})`).toContain(response.status);
      }
    }
  });

  it('answers 403 or 404 to a key whose role is below the route’s, never a handler’s answer: viewer keys on writes, editor keys on the admin’s routes', async () => {
    const keys = { viewer: (await createApiKey(t, { role: 'viewer' })).key, editor: (await createApiKey(t, { role: 'editor' })).key };
    let tried = 0;
    for (const role of ['viewer', 'editor'] as const) {
      const above = protectedRoutes().filter((r) => r.least === 'admin' || (role === 'viewer' && r.least === 'editor'));
      expect(above.length, role).toBeGreaterThanOrEqual(role === 'viewer' ? 10 : 3);
      for (const route of above) {
        for (const { label, target } of spellings(route)) {
          const headers = { 'unstructured-api-key': keys[role], ...jsonHeaders(route.method) };
          const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
          tried += 1;
          expect([403, 404], `${role} key: ${route.method} ${target} (${label})`).toContain(response.status);
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
  });

  it('answers 403 or 404 to a signed-in person whose role is below the route’s: viewers on every write, editors on the admin’s routes', async () => {
    const people = { viewer: await createUser(t, 'viewer'), editor: await createUser(t, 'editor') };
    let tried = 0;
    for (const role of ['viewer', 'editor'] as const) {
      const above = protectedRoutes().filter((r) => r.least === 'admin' || (role === 'viewer' && r.least === 'editor'));
      expect(above.length, role).toBeGreaterThanOrEqual(role === 'viewer' ? 15 : 8);
      for (const route of above) {
        for (const { label, target } of spellings(route)) {
          const headers = { cookie: people[role].cookie, origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', ...jsonHeaders(route.method) };
          const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
          tried += 1;
          expect([403, 404], `${role}: ${route.method} ${target} (${label})`).toContain(response.status);
        }
      }
    }
    expect(tried).toBeGreaterThan(400);
  });

  it('lets each person through to the handler where their role suffices: a viewer reads, an editor writes, an admin manages people', async () => {
    const viewer = await createUser(t, 'viewer');
    const editor = await createUser(t, 'editor');
    const as = (cookie: string, method: string, url: string, body?: string) =>
      rawRequest(
        port,
        method,
        url,
        { cookie, origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
      );
    expect((await as(viewer.cookie, 'GET', '/api/v1/destinations')).status).toBe(200);
    expect((await as(viewer.cookie, 'GET', '/api/session')).status).toBe(200);
    // An empty body reaches the handler's validation (422), past every access hook.
    expect((await as(editor.cookie, 'POST', '/api/v1/destinations', '{}')).status).toBe(422);
    expect((await as(t.cookie, 'GET', '/api/v1/users')).status).toBe(200);
    expect((await as(t.cookie, 'POST', '/api/v1/users', '{}')).status).toBe(422);
    // Anyone signed in may sign out.
    expect((await as(viewer.cookie, 'DELETE', '/api/session')).status).toBe(204);
  });

  it('lets an API key act with at most its owner’s current role: an editor key of an admin demoted to viewer only reads', async () => {
    const owner = await createUser(t, 'admin');
    const made = await rawRequest(
      port,
      'POST',
      '/api/v1/api-keys',
      { cookie: owner.cookie, origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' },
      JSON.stringify({ name: `owned by ${owner.email}`, role: 'editor', expires_at: null }),
    );
    expect(made.status).toBe(201);
    const key = JSON.parse(made.body).key as string;
    const write = () => requestWithKey(t, key, { method: 'POST', url: '/api/v1/destinations', body: {} });
    expect((await write()).statusCode).toBe(422);
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${owner.id}`, body: { role: 'viewer' } })).statusCode).toBe(200);
    const refused = await write();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('This API key has the viewer role');
    expect((await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' })).statusCode).toBe(200);
    // Deactivating the owner stops the key altogether.
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${owner.id}/deactivate` })).statusCode).toBe(200);
    expect((await requestWithKey(t, key, { method: 'GET', url: '/api/v1/destinations' })).statusCode).toBe(401);
  });

  it('lets a key through to the handler where its role suffices (a viewer reads, an editor writes)', async () => {
    const viewer = (await createApiKey(t, { role: 'viewer' })).key;
    const editor = (await createApiKey(t, { role: 'editor' })).key;
    const read = await rawRequest(port, 'GET', '/api/v1/destinations/', { authorization: `Bearer ${viewer}` });
    expect(read.status).toBe(200);
    // An empty body reaches the handler's validation (422), past every access hook.
    const write = await rawRequest(
      port,
      'POST',
      '/api/v1/destinations/',
      { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(write.status).toBe(422);
  });

  it('answers the public routes under every spelling without a 5xx', async () => {
    for (const route of t.app.routeTable.filter((r) => r.context === 'public-api')) {
      for (const { label, target } of spellings(route)) {
        const headers = { origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest', ...jsonHeaders(route.method) };
        const response = await rawRequest(port, route.method, target, headers, bodyFor(route.method));
        expect(response.status, `${route.method} ${target} (${label})`).toBeLessThan(500);
      }
    }
  });

  it('answers GET /%61pi/session as the public route it matched: signed out, not a 500 as it was', async () => {
    const response = await rawRequest(port, 'GET', '/%61pi/session');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ signed_in: false, sign_in: { password: true, oidc: null }, ended: null });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves a signed-in caller the same route under an encoded spelling, with no-store', async () => {
    const response = await rawRequest(port, 'GET', '/%61pi/v1/destinations', { cookie: t.cookie });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('the Host check (DNS rebinding)', () => {
  const get = (target: string, host: string) => rawRequest(port, 'GET', target, { host, cookie: t.cookie });

  it.each(['evil.example', 'evil.example:8080', 'attacker.test.', '127.0.0.1.nip.io', ''])('answers 421 for Host "%s"', async (host) => {
    const response = await get('/api/v1/destinations', host);
    expect(response.status).toBe(421);
    expect(JSON.parse(response.body).detail).toContain('PUBLIC_ORIGIN');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it.each(['127.0.0.1:8080', 'localhost', 'LOCALHOST:1234', '[::1]:8080'])('accepts Host "%s" (PUBLIC_ORIGIN’s host and loopback)', async (host) => {
    expect((await get('/api/v1/destinations', host)).status).toBe(200);
  });

  it('answers the health check whatever the Host, for load balancers', async () => {
    expect((await get('/api/health', 'evil.example')).status).toBe(200);
  });

  it('judges an absolute-form target by its authority too', async () => {
    const response = await rawRequest(port, 'GET', 'http://evil.example/api/v1/destinations', { host: `127.0.0.1:${port}`, cookie: t.cookie });
    expect(response.status).toBe(421);
  });

  it('behind a trusted proxy, judges the host it forwards and the Host header both', async () => {
    const proxied = await buildTestApp({ trustProxy: 1 });
    try {
      const get = (headers: Record<string, string>) => proxied.request({ method: 'GET', url: '/api/v1/destinations', headers });
      // A client that chooses its Host (DNS rebinding) cannot launder it through X-Forwarded-Host.
      expect((await get({ host: 'evil.example', 'x-forwarded-host': '127.0.0.1:8080' })).statusCode).toBe(421);
      expect((await get({ host: '127.0.0.1:8080', 'x-forwarded-host': 'evil.example' })).statusCode).toBe(421);
      expect((await get({ host: '127.0.0.1:8080', 'x-forwarded-host': '127.0.0.1:8080' })).statusCode).toBe(200);
      expect((await get({ host: '127.0.0.1:8080' })).statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('refuses the browser app’s page on a foreign Host too', async () => {
    expect((await get('/destinations', 'evil.example')).status).toBe(421);
  });
});

describe('every answer carries the security headers', () => {
  const expectHardened = (response: RawResponse, what: string) => {
    expect(response.headers['content-security-policy'], what).toContain("default-src 'self'");
    expect(response.headers['x-frame-options'], what).toBe('DENY');
    expect(response.headers['x-content-type-options'], what).toBe('nosniff');
  };

  it('on 401, 403, 404, 413, 421 and 422', async () => {
    const json = { 'content-type': 'application/json', origin: TEST_ORIGIN, 'x-requested-with': 'XMLHttpRequest' };
    const cases: [number, Promise<RawResponse>][] = [
      [401, rawRequest(port, 'GET', '/api/v1/destinations')],
      [403, rawRequest(port, 'POST', '/api/v1/destinations', { 'content-type': 'application/json', origin: 'https://evil.example' }, '{}')],
      [404, rawRequest(port, 'GET', '/api/v1/nothing', { cookie: t.cookie })],
      [404, rawRequest(port, 'DELETE', '/not-api')],
      [413, rawRequest(port, 'POST', '/api/v1/destinations', { ...json, cookie: t.cookie }, JSON.stringify({ name: 'x'.repeat(70_000) }))],
      [421, rawRequest(port, 'GET', '/api/health/x', { host: 'evil.example' })],
      [422, rawRequest(port, 'POST', '/api/v1/destinations', { ...json, cookie: t.cookie }, '{')],
    ];
    for (const [status, pending] of cases) {
      const response = await pending;
      expect(response.status).toBe(status);
      expectHardened(response, String(status));
    }
  });

  it('on the event stream, which writes its own head', async () => {
    const response = await rawRequest(port, 'GET', `/api/v1/connection-checks/${SAMPLE_ID}/events`, { cookie: t.cookie });
    expect(response.status).toBe(404);
    expectHardened(response, 'events 404');
  });
});
