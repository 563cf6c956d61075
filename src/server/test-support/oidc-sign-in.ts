import { expect } from 'vitest';
import { TEST_ORIGIN, type TestApp } from './test-app.ts';

/** Follows the provider's redirects with its cookies, logging in as `login` on its login page and consenting. */
export async function throughProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(`${TEST_ORIGIN}/api/auth/oidc/callback`)) return next;
      [url, method, body] = [next.href, 'GET', undefined];
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`the provider answered ${response.status} without a form: ${page.slice(0, 300)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1] ?? 'login';
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt }).toString();
  }
  throw new Error('too many redirects at the provider');
}

/** Starts at the app, signs in at the provider as `login`, and hands the callback to the app: its answer. */
export async function signInAs(t: TestApp, login: string, tamper: (callback: URL) => void = () => undefined) {
  const start = await t.request({ method: 'GET', url: '/api/auth/oidc/start', cookie: null });
  expect(start.statusCode).toBe(303);
  const loginCookie = start.cookies.find((c) => c.name === 'oidc_login');
  expect(loginCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
  const callback = await throughProvider(String(start.headers.location), login);
  tamper(callback);
  const answer = () => t.request({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookie: `oidc_login=${loginCookie?.value}` });
  return { first: await answer(), again: answer };
}

/** Who the session a response started signs in, or null when it started none. */
export async function sessionOf(t: TestApp, response: { cookies: { name: string; value: string }[] }) {
  const cookie = response.cookies.find((c) => c.name === 'session');
  return cookie ? (await t.request({ method: 'GET', url: '/api/session', cookie: `session=${cookie.value}` })).json() : null;
}
