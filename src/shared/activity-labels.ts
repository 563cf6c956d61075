import type { ActivityKind } from './activity-schemas.ts';

/** How each kind of activity is said on screen (no zod here: the detail page's chunk stays without it). */
export const ACTIVITY_LABELS: Record<ActivityKind, string> = {
  'destination.created': 'Created',
  'destination.updated': 'Changed',
  'destination.deleted': 'Deleted',
  'check.finished': 'Connection check',
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
