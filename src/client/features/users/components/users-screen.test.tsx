// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { roleSentence } from '#shared/permissions';
import { USER_ROLE_LABELS, USER_ROLES, UserSchema, type User } from '#shared/user-schemas';
import { fakeApi, json, renderApp } from '#client/test-support/fake-api.tsx';
import { UsersScreen } from './users-screen.tsx';

const person = (changes: Partial<User>): User =>
  UserSchema.parse({
    id: 'u-2',
    email: 'bo@corp.example',
    name: 'Bo',
    role: 'viewer',
    state: 'active',
    created_at: '2026-12-01T10:00:00.000Z',
    deactivated_at: null,
    ...changes,
  });

function usersApi() {
  const api = fakeApi();
  api.signedIn('admin');
  let users = [person({ id: 'u-1', email: 'ana@corp.example', name: 'Ana', role: 'admin' }), person({})];
  api.on('GET', '/api/v1/users', () => json(users));
  api.on('PATCH', '/api/v1/users/u-2', ({ body }) => {
    users = users.map((u) => (u.id === 'u-2' ? { ...u, role: (body as { role: User['role'] }).role } : u));
    return json(users[1]);
  });
  return api;
}

describe('the roles', () => {
  it('are told on asking, each with what it may do, from the permissions table', async () => {
    usersApi();
    renderApp(<UsersScreen />, '/users');
    const summary = await screen.findByText('What each role may do');
    const details = summary.closest('details')!;
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    const told = [...details.querySelectorAll('dt')].map((term) => `${term.textContent}: ${term.nextElementSibling?.textContent}`);
    expect(told).toEqual(USER_ROLES.map((role) => `${USER_ROLE_LABELS[role].label}: ${roleSentence(role)}`));
    expect(told[0]).toContain('Viewer: May see connectors, check results, history and each connector’s activity');
  });
});

describe('changing a role', () => {
  it('asks first, saying what the role gives; Cancel changes nothing and puts the select back', async () => {
    const api = usersApi();
    renderApp(<UsersScreen />, '/users');
    const select = await screen.findByRole('combobox', { name: 'Role of bo@corp.example' });
    await userEvent.selectOptions(select, 'editor');
    const dialog = await screen.findByRole('dialog', { name: 'Make bo@corp.example an Editor?' });
    expect(dialog.textContent).toContain('They have these rights as soon as you confirm.');
    // What an editor adds, in the permissions table's words.
    expect(dialog.textContent).toContain(
      'Editor: May do all a Viewer may; also create, edit and delete connectors and replace credentials; test connectors and cancel running checks.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((select as HTMLSelectElement).value).toBe('viewer');
    expect(api.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(api.unanswered).toEqual([]);
  });

  it('changes it on confirmation, and says so', async () => {
    const api = usersApi();
    renderApp(<UsersScreen />, '/users');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Role of bo@corp.example' }), 'editor');
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Make Editor' }));
    expect(await screen.findByText('bo@corp.example is now an Editor.')).toBeTruthy();
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([{ role: 'editor' }]);
  });

  it('says a demotion takes rights away', async () => {
    usersApi();
    renderApp(<UsersScreen />, '/users');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Role of ana@corp.example' }), 'viewer');
    const dialog = await screen.findByRole('dialog', { name: 'Make ana@corp.example a Viewer?' });
    expect(dialog.textContent).toContain('They lose what Admin allows beyond that as soon as you confirm — this is your own role.');
  });
});
