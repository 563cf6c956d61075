import { noteServerDate } from './server-clock.ts';
import type { ValidationError } from '#shared/api-schemas';

/** An answer other than 2xx: `detail` is one sentence, or FastAPI's list of field problems on a 422. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationError[],
  ) {
    super(typeof detail === 'string' ? detail : (detail[0]?.msg ?? `Request failed (${status})`));
  }
}

/** The request never got an answer: offline, server down. */
export class NetworkError extends Error {
  constructor() {
    super("Can't reach the server. Check your connection and try again.");
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();
/** Called when any request answers 401: the app shows sign-in without losing the page underneath. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export type RequestOptions = {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};
export type ApiResponse<T> = { data: T; headers: Headers };

/** The one way the browser talks to the API: same-origin cookie, the CSRF header, JSON both ways. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  const sentAt = Date.now();
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError();
  }
  noteServerDate(response.headers.get('date'), sentAt, Date.now());
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    if (response.status === 401) signedOutListeners.forEach((listener) => listener());
    const detail = (data as { detail?: unknown } | null)?.detail;
    throw new ApiError(
      response.status,
      typeof detail === 'string' || Array.isArray(detail) ? (detail as string | ValidationError[]) : `Request failed (${response.status})`,
    );
  }
  return { data: data as T, headers: response.headers };
}

export async function api<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await apiRequest<T>(path, options)).data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The API said there is no such thing: an unknown id (404), or one that is not an id at all (422 on the path). */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 404 || (error.status === 422 && Array.isArray(error.detail) && error.detail.some((item) => item.loc[0] === 'path'));
}
