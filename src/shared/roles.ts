/**
 * Roles rank viewer < editor < admin: a viewer reads everything the screens show, an editor also changes connectors,
 * an admin also manages people and API keys. No zod here: the browser's first load asks "may I?" without it.
 */
export const USER_ROLES = ['viewer', 'editor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
const RANK: Record<UserRole, number> = { viewer: 1, editor: 2, admin: 3 };
export const roleAtLeast = (role: UserRole, least: UserRole) => RANK[role] >= RANK[least];
