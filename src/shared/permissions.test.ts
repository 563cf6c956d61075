import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_KEY_ROLE_LABELS, API_KEY_ROLES } from './api-key-schemas.ts';
import { gainedBy, leastRoleFor, PERMISSION_NAMES, PERMISSIONS, roleHolds, roleSentence, rolesTableMarkdown } from './permissions.ts';
import { USER_ROLES } from './roles.ts';
import { USER_ROLE_LABELS } from './user-schemas.ts';

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

  it('is what the screens say of each role: its sentence names exactly the permissions it adds', () => {
    for (const role of USER_ROLES) {
      const sentence = USER_ROLE_LABELS[role].description;
      expect(sentence, role).toBe(roleSentence(role));
      for (const name of PERMISSION_NAMES)
        expect(sentence.includes(PERMISSIONS[name].may), `${role} ${name}`).toBe(gainedBy(role).includes(name) && name !== 'app.use');
    }
    expect(USER_ROLE_LABELS.viewer.description).toMatch(/^May see connectors/);
    expect(USER_ROLE_LABELS.editor.description).toMatch(/^May do all a Viewer may; also create, edit and delete connectors/);
    expect(USER_ROLE_LABELS.admin.description).toMatch(/^May do all an Editor may; also invite people/);
  });

  it('tells an API key’s role in the same words', () => {
    for (const role of API_KEY_ROLES) expect(API_KEY_ROLE_LABELS[role].description, role).toBe(roleSentence(role));
  });
});
