/** The list's orders and filters (`GET /api/v1/destinations`): zod-free, so the list screen can name them without the schemas. */
export const LIST_SORTS = ['name', '-name', 'last_check', '-last_check', 'expires_at', '-expires_at'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const LIST_STATUSES = ['failing', 'passing', 'untested'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_CREDENTIALS = ['expired', 'expiring', 'ok'] as const;
export type ListCredentials = (typeof LIST_CREDENTIALS)[number];
