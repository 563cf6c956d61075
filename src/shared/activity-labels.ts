import type { ActivityKind } from './activity-schemas.ts';

/** How each kind of activity is said on screen (no zod here: the detail page's chunk stays without it). */
export const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  'destination.created': 'Created',
  'destination.updated': 'Changed',
  'destination.deleted': 'Deleted',
  'check.finished': 'Connection check',
  'check.cancelled': 'Connection check cancelled',
  'session.signed_in': 'Signed in',
  'session.sign_in_failed': 'Sign-in failed',
  'session.signed_out': 'Signed out',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'user.invited': 'User invited',
  'user.role_changed': 'Role changed',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.link_created': 'Sign-in link made',
  'user.password_set': 'Password set',
  'settings.changed': 'Settings changed',
};

/** The Activity screen's groups of kinds, as the API's `group` names them. */
export const ACTIVITY_GROUPS = {
  sign_ins: { label: 'Sign-ins', prefixes: ['session.'] },
  people: { label: 'Users, API keys and settings', prefixes: ['user.', 'api_key.', 'settings.'] },
  connectors: { label: 'Connector changes', prefixes: ['destination.'] },
  checks: { label: 'Connection checks', prefixes: ['check.'] },
} as const;
export type ActivityGroup = keyof typeof ACTIVITY_GROUPS;

/** The group an entry of this kind is in (stored with it, so the screen's filter reads an index). */
export function activityGroupOf(kind: ActivityKind): ActivityGroup | null {
  for (const [group, { prefixes }] of Object.entries(ACTIVITY_GROUPS)) {
    if ((prefixes as readonly string[]).some((prefix) => kind.startsWith(prefix))) return group as ActivityGroup;
  }
  return null;
}
