import { roleAtLeast, USER_ROLES, type UserRole } from './roles.ts';

/**
 * What each role may do, as one table: every protected route declares one of these permissions (`config: { access }`),
 * the server's access hook grants it to a role at least `least`, the browser asks `useCan(permission)` before offering
 * a control or a screen, the boundary tests walk the routes against it, and the README's roles table is written from
 * it (permissions.test.ts checks the README). To change what a role may do, change its row here.
 *
 * `may` completes "may …" and "it cannot …": a few words a person reads in the roles table and in a 403.
 */
export const PERMISSIONS = {
  'connectors.read': { least: 'viewer', may: 'see connectors, check results, history and each connector’s activity' },
  'app.use': { least: 'viewer', may: 'sign out, see and end their own sessions, and read the version and the API description' },
  'connectors.write': { least: 'editor', may: 'create, edit and delete connectors and replace credentials' },
  'checks.run': { least: 'editor', may: 'test connectors and cancel running checks' },
  'users.manage': { least: 'admin', may: 'invite people, change roles, deactivate people and see anyone’s sessions' },
  'keys.manage': { least: 'admin', may: 'make and revoke API keys' },
  'activity.read': { least: 'admin', may: 'see everyone’s activity' },
  'webhooks.manage': { least: 'admin', may: 'manage webhook alerts' },
  'settings.manage': { least: 'admin', may: 'turn password sign-in off or on' },
} as const satisfies Record<string, { least: UserRole; may: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** Whether `role` holds `permission`. */
export const roleHolds = (role: UserRole, permission: Permission) => roleAtLeast(role, PERMISSIONS[permission].least);

/** The least role holding a permission. */
export const leastRoleFor = (permission: Permission): UserRole => PERMISSIONS[permission].least;

/** The permissions a role gains over the one below it, in the table's order. */
export const gainedBy = (role: UserRole): Permission[] => PERMISSION_NAMES.filter((name) => PERMISSIONS[name].least === role);

/** Each role's name as people read it. */
export const ROLE_LABELS: Record<UserRole, string> = { viewer: 'Viewer', editor: 'Editor', admin: 'Admin' };

/**
 * What a role may do, as the screens say it beside the role's name, read alone (the account page) or in a list: the
 * lowest role's permissions, or "May do all an Editor may; also …" and what the role adds. `app.use` is not told:
 * everyone signed in holds it (and an API key has no sessions to end), so it tells no role from another.
 */
export function roleSentence(role: UserRole): string {
  const mays = gainedBy(role)
    .filter((name) => name !== 'app.use')
    .map((name) => PERMISSIONS[name].may);
  const below = USER_ROLES[USER_ROLES.indexOf(role) - 1];
  const lead = below === undefined ? 'May' : `May do all ${/^[AEIOU]/.test(ROLE_LABELS[below]) ? 'an' : 'a'} ${ROLE_LABELS[below]} may; also`;
  return `${lead} ${mays.join('; ')}.`;
}

/** The README's roles table, written from the permissions: each role says what it adds to the one below. */
export function rolesTableMarkdown(): string {
  const rows = USER_ROLES.map((role, i) => {
    const mays = gainedBy(role).map((name) => PERMISSIONS[name].may);
    const sentence = `${i === 0 ? '' : 'also '}${mays.join('; ')}`;
    return `| ${ROLE_LABELS[role]} | ${sentence} |`;
  });
  return ['| Role | May |', '|---|---|', ...rows].join('\n');
}
