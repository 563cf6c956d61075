import type { LinkInfo } from '#shared/user-schemas';
import { api } from '#client/lib/api-client.ts';

/** What a one-time link is for; the token comes from the URL's fragment and goes in the body, never in a URL. */
export const lookupLink = (token: string) => api<LinkInfo>('/api/user-links/lookup', { method: 'POST', body: { token } });
export const setPasswordWithLink = (input: { token: string; password: string }) => api<null>('/api/user-links/use', { method: 'POST', body: input });
