import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gainedBy, leastRoleFor, PERMISSION_NAMES, roleHolds, rolesTableMarkdown } from './permissions.ts';
import { USER_ROLES } from './roles.ts';

describe('the permissions table', () => {
  it('gives each role what the roles below it have, and more', () => {
    for (const name of PERMISSION_NAMES) {
      const least = leastRoleFor(name);
      for (const role of USER_ROLES) expect(roleHolds(role, name), `${role} ${name}`).toBe(USER_ROLES.indexOf(role) >= USER_ROLES.indexOf(least));
    }
    // Each role adds something: a role that adds nothing would be a name without a meaning.
    for (const role of USER_ROLES) expect(gainedBy(role).length, role).toBeGreaterThan(0);
  });

  it('keeps a viewer to reading and an editor out of people, keys, alerts and settings', () => {
    expect(PERMISSION_NAMES.filter((name) => roleHolds('viewer', name))).toEqual(['connectors.read', 'app.use']);
    expect(PERMISSION_NAMES.filter((name) => roleHolds('editor', name) && !roleHolds('viewer', name))).toEqual(['connectors.write', 'checks.run']);
  });

  it('is the README’s roles table, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`${rolesTableMarkdown()}\n`);
  });
});
