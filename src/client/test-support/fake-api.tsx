import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, vi } from 'vitest';
import type { SignedInSession } from '#shared/api-schemas';
import { ConnectionCheckSchema, type ConnectionCheck, type Step } from '#shared/check-schemas';
import { DestinationSchema, type Destination } from '#shared/destination-schemas';
import type { UserRole } from '#shared/roles';

/**
 * The browser's API seen by a component test: the fetch the app's one API client calls (lib/api-client.ts), answered
 * by handlers matched on method and path. A request no handler answers fails the test, so a component cannot call
 * the API unnoticed; every request is recorded, with its body, for the test to read.
 */
export type FakeRequest = { method: string; url: URL; body: unknown; headers: Record<string, string> };
type Handler = (request: FakeRequest) => Response | Promise<Response>;

export function fakeApi() {
  const routes: { method: string; path: string | RegExp; handler: Handler }[] = [];
  const requests: FakeRequest[] = [];
  const unanswered: string[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://app.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const request = {
      method,
      url,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
    };
    requests.push(request);
    const route = routes.findLast((r) => r.method === method && (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)));
    if (!route) {
      unanswered.push(`${method} ${url.pathname}${url.search}`);
      return json({ detail: 'No fake answer for this request' }, 599);
    }
    return route.handler(request);
  });
  const on = (method: string, path: string | RegExp, handler: Handler) => routes.push({ method, path, handler });
  // A check's live events (EventSource): each stream sends what `streams` holds for its path, then stays open.
  const streams = new Map<string, unknown[]>();
  class FakeEventSource {
    static readonly CLOSED = 2;
    readyState = 1;
    onerror: (() => void) | null = null;
    constructor(readonly url: string) {
      requests.push({ method: 'GET', url: new URL(url, 'http://app.test'), body: undefined, headers: {} });
    }
    addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
      const events = streams.get(new URL(this.url, 'http://app.test').pathname);
      if (!events) unanswered.push(`EventSource ${this.url}`);
      for (const data of events ?? []) queueMicrotask(() => listener(new MessageEvent(type, { data: JSON.stringify(data) })));
    }
    close() {
      this.readyState = FakeEventSource.CLOSED;
    }
  }
  vi.stubGlobal('EventSource', FakeEventSource);
  return {
    on,
    /** What the live events of `path` send, in order. */
    stream: (path: string, events: unknown[]) => streams.set(path, events),
    requests,
    /** Requests the test gave no answer for: a test ends by expecting none. */
    unanswered,
    /** A signed-in session of `role`. */
    signedIn(role: UserRole = 'admin') {
      const session: SignedInSession = {
        signed_in: true,
        expires_at: '2030-01-01T00:00:00.000Z',
        user: { id: 'u-1', email: 'ana@corp.example', name: 'Ana', role },
        settings: { ambient_credentials_allowed: false, iam_roles_allowed: false },
        sign_in: { password: true, oidc: null },
      };
      on('GET', '/api/session', () => json(session));
    },
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Renders `ui` as the app does (a query client, no retries: a test sees the first answer), at `path`. */
export function renderApp(ui: ReactNode, path = '/') {
  window.history.replaceState(null, '', path);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

let sequence = 0;
/** A destination as the API shows it (checked against the API's schema), with `changes`. */
export function destination(changes: Partial<Destination> = {}): Destination {
  sequence += 1;
  const id = `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
  return DestinationSchema.parse({
    id,
    name: `Connector ${sequence}`,
    type: 's3',
    config: {
      remote_url: `s3://bucket-${sequence}/exports/`,
      anonymous: false,
      ambient_credentials: false,
      key: 'AKIAIOSFODNN7EXAMPLE',
      secret: '**********',
      token: null,
      endpoint_url: null,
      region: null,
      token_expires_at: null,
      has_secret: true,
      has_token: false,
      provider: 'aws',
      token_saved_at: null,
      role_arn: null,
      external_id: null,
    },
    created_at: '2026-12-01T10:00:00.000Z',
    updated_at: '2026-12-01T10:00:00.000Z',
    version: 1,
    config_version: 1,
    credentials: { method: 'access_key', expires_at: null, saved_at: null, state: 'not_applicable', expired_by_check: false },
    last_check: null,
    check_schedule: 'off',
    next_check_at: null,
    ...changes,
  });
}

/** A connection check as the API shows it (checked against the API's schema), with `changes`. */
export function connectionCheck(changes: Partial<ConnectionCheck> = {}): ConnectionCheck {
  sequence += 1;
  return ConnectionCheckSchema.parse({
    id: `00000000-0000-4000-9000-${String(sequence).padStart(12, '0')}`,
    destination_id: null,
    status: 'SUCCESS',
    reason: null,
    created_at: '2026-12-06T12:00:00.000Z',
    reported_at: '2026-12-06T12:00:01.000Z',
    steps: [],
    identity: null,
    region: null,
    config_version: null,
    trigger: 'manual',
    cancelled: false,
    cancelled_by: null,
    ...changes,
  });
}

/** A step of a check, with `changes`. */
export const step = (changes: Partial<Step> & Pick<Step, 'name' | 'status'>): Step => ({
  duration_ms: 10,
  started_ms: 0,
  code: null,
  message: null,
  hint: null,
  iam_action: null,
  ...changes,
});
