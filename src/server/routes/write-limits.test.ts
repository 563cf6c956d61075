import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createUser, type TestApp } from '../test-support/test-app.ts';

// WRITE_RATE_PER_MIN per principal, for each thing that lasts or is sent on (2 here).
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ writeRatePerMin: 2, webhookAllowlist: ['127.0.0.1:9'] });
});
afterAll(() => t.close());

let counter = 0;
const expectLimited = (statuses: number[], last: { json(): { detail: string }; headers: Record<string, unknown> }, what: RegExp) => {
  expect(statuses).toEqual([statuses[0], statuses[0], 429]);
  expect(last.json().detail).toMatch(what);
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
};

describe('writes one principal may make a minute', () => {
  it('limits invitations', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await t.request({ method: 'POST', url: '/api/v1/users', body: { email: `limited-${++counter}@corp.example`, role: 'viewer' } }));
    expectLimited(
      answers.map((a) => a.statusCode),
      answers[2]!,
      /^Too many invitations: wait \d+ s and try again$/,
    );
  });

  it('limits new links, and a new link replaces the older ones: one works at a time', async () => {
    const invited = await buildTestApp();
    try {
      const user = (await invited.request({ method: 'POST', url: '/api/v1/users', body: { email: 'links@corp.example', role: 'viewer' } })).json()
        .user;
      const first = (await invited.request({ method: 'POST', url: `/api/v1/users/${user.id}/link` })).json();
      const second = (await invited.request({ method: 'POST', url: `/api/v1/users/${user.id}/link` })).json();
      const lookup = (url: string) =>
        invited.request({ method: 'POST', url: '/api/user-links/lookup', body: { token: new URL(url).hash.slice(1) }, cookie: null });
      expect((await lookup(first.url)).statusCode).toBe(410);
      expect((await lookup(second.url)).statusCode).toBe(200);
    } finally {
      await invited.close();
    }
    const user = (await t.request({ method: 'GET', url: '/api/v1/users' })).json()[1];
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await t.request({ method: 'POST', url: `/api/v1/users/${user.id}/link` }));
    expectLimited(
      answers.map((a) => a.statusCode),
      answers[2]!,
      /^Too many new links/,
    );
  });

  it('limits API keys and test events, each counted apart', async () => {
    const keys = [];
    for (let i = 0; i < 3; i++)
      keys.push(await t.request({ method: 'POST', url: '/api/v1/api-keys', body: { name: `k${++counter}`, role: 'viewer' } }));
    expectLimited(
      keys.map((a) => a.statusCode),
      keys[2]!,
      /^Too many new API keys/,
    );
    const hook = (await t.request({ method: 'POST', url: '/api/v1/webhooks', body: { name: 'limited', url: 'http://127.0.0.1:9/hook' } })).json();
    const tests = [];
    for (let i = 0; i < 3; i++) tests.push(await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` }));
    expectLimited(
      tests.map((a) => a.statusCode),
      tests[2]!,
      /^Too many test events/,
    );
  });

  it('limits new external IDs (each a row kept for good)', async () => {
    const roles = await buildTestApp({ writeRatePerMin: 2, allowIamRoles: true });
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await roles.request({ method: 'POST', url: '/api/v1/iam-role/external-ids' }));
      expectLimited(
        answers.map((a) => a.statusCode),
        answers[2]!,
        /^Too many new external IDs/,
      );
    } finally {
      await roles.close();
    }
  });

  it('counts each principal apart: another admin is not held by the first one’s count', async () => {
    const other = await buildTestApp({ writeRatePerMin: 2 });
    try {
      const second = await createUser(other, 'admin');
      const invite = (cookie?: string) =>
        other.request({
          method: 'POST',
          url: '/api/v1/users',
          body: { email: `apart-${++counter}@corp.example`, role: 'viewer' },
          ...(cookie ? { cookie } : {}),
        });
      expect((await invite()).statusCode).toBe(201);
      expect((await invite()).statusCode).toBe(429);
      expect((await invite(second.cookie)).statusCode).toBe(201);
    } finally {
      await other.close();
    }
  });
});
