// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { connectionCheck, destination, fakeApi, json, renderApp, step } from '#client/test-support/fake-api.tsx';
import UpdateCredentialsDialog from './update-credentials-dialog.tsx';

const NEW_KEY = 'AKIANEWKEY0000000001';
const NEW_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYNEWSECRET1';

function dialogApi(outcome: 'SUCCESS' | 'FAILURE') {
  const api = fakeApi();
  api.signedIn('editor');
  const saved = destination({ name: 'Exports' });
  const finished = connectionCheck({
    destination_id: saved.id,
    status: outcome,
    reason: outcome === 'FAILURE' ? 'AWS does not know this AWS Key.' : null,
    steps: [
      step({ name: 'identity', status: outcome === 'FAILURE' ? 'failed' : 'passed', code: outcome === 'FAILURE' ? 'InvalidClientTokenId' : null }),
    ],
  });
  api.on('POST', '/api/v1/connection-checks', () => json({ ...finished, status: 'SCHEDULED', reason: null, reported_at: null }, 202));
  api.stream(`/api/v1/connection-checks/${finished.id}/events`, [finished]);
  api.on('PUT', `/api/v1/destinations/${saved.id}`, ({ body }) => json({ ...saved, ...(body as object), warnings: [] }));
  return { api, saved, finished };
}

async function fillAndTest() {
  const dialog = await screen.findByRole('dialog', { name: 'Update credentials of “Exports”' });
  await userEvent.type(within(dialog).getByRole('textbox', { name: 'AWS Key' }), NEW_KEY);
  await userEvent.type(within(dialog).getByLabelText('AWS Secret Key'), NEW_SECRET);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Test and save' }));
  return dialog;
}

describe('the Update credentials dialog', () => {
  it('tests the new credentials first and saves them with the passing check', async () => {
    const { api, saved, finished } = dialogApi('SUCCESS');
    const onSaved = vi.fn();
    renderApp(<UpdateCredentialsDialog destination={saved} open onOpenChange={() => {}} onSaved={onSaved} />);
    await fillAndTest();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('New credentials of “Exports” tested and saved.'));
    const [check] = api.requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/v1/connection-checks');
    expect(check?.body).toMatchObject({ destination_id: saved.id, config: { key: NEW_KEY, secret: NEW_SECRET } });
    const puts = api.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.body)).toEqual([
      { config: { key: NEW_KEY, secret: NEW_SECRET, token: null, token_expires_at: null }, connection_check_id: finished.id },
    ]);
    expect(puts[0]?.headers['if-match']).toBe(`"${saved.version}"`);
    expect(api.unanswered).toEqual([]);
  });

  it('saves nothing when the test fails, until Save anyway', async () => {
    const { api, saved } = dialogApi('FAILURE');
    const onSaved = vi.fn();
    renderApp(<UpdateCredentialsDialog destination={saved} open onOpenChange={() => {}} onSaved={onSaved} />);
    const dialog = await fillAndTest();
    const anyway = await within(dialog).findByRole('button', { name: 'Save anyway' });
    expect(api.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    await userEvent.click(anyway);
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('New credentials of “Exports” saved without a passing check.'));
    expect(api.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
      { config: { key: NEW_KEY, secret: NEW_SECRET, token: null, token_expires_at: null } },
    ]);
  });

  it('asks for the secret on its field, and sends nothing without it', async () => {
    const { api, saved } = dialogApi('SUCCESS');
    renderApp(<UpdateCredentialsDialog destination={saved} open onOpenChange={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'AWS Key' }), NEW_KEY);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Test and save' }));
    const secret = within(dialog).getByLabelText('AWS Secret Key');
    await waitFor(() => expect(secret.getAttribute('aria-invalid')).toBe('true'));
    expect(document.activeElement).toBe(secret);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
