// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { destination, fakeApi, json, renderApp } from '#client/test-support/fake-api.tsx';
import { DestinationsList } from './destinations-list.tsx';

const link = (cursors: { next?: string; prev?: string }) =>
  [
    cursors.next && `<https://app.test/api/v1/destinations?limit=50&cursor=${cursors.next}>; rel="next"`,
    cursors.prev && `<https://app.test/api/v1/destinations?limit=50&cursor=${cursors.prev}>; rel="prev"`,
  ]
    .filter(Boolean)
    .join(', ');

/** The list's API: pages by cursor, as the server's Link header says them. */
function listApi(role: 'admin' | 'viewer' = 'admin') {
  const api = fakeApi();
  api.signedIn(role);
  const first = Array.from({ length: 50 }, () => destination());
  const second = Array.from({ length: 5 }, () => destination());
  api.on('GET', '/api/v1/destinations', ({ url }) => {
    if (url.searchParams.get('credentials') === 'expired,expiring') return json([], 200, { 'x-total-count': '0' });
    const cursor = url.searchParams.get('cursor');
    if (cursor === 'SECOND') return json(second, 200, { 'x-total-count': '55', link: link({ prev: 'BACK' }) });
    return json(first, 200, { 'x-total-count': '55', link: link({ next: 'SECOND' }) });
  });
  return { api, first, second };
}

describe('the destinations list', () => {
  it('pages by the Link header: Next and Previous carry the server’s cursors, First and Previous are off on the first page', async () => {
    const { api, second } = listApi();
    renderApp(<DestinationsList />, '/destinations');
    const pages = await screen.findByRole('navigation', { name: 'Pages of destinations' });
    expect(within(pages).getByText('Page 1 of 2')).toBeTruthy();
    expect(within(pages).getByText('Previous page').getAttribute('aria-disabled')).toBe('true');
    expect(within(pages).getByText('First page').getAttribute('aria-disabled')).toBe('true');
    await userEvent.click(within(pages).getByRole('link', { name: 'Next page' }));
    expect(window.location.search).toBe('?cursor=SECOND&page=2');
    await screen.findByText(second[0]?.name as string);
    expect(screen.getByText('51–55 of 55 connectors.')).toBeTruthy();
    const back = within(screen.getByRole('navigation', { name: 'Pages of destinations' })).getByRole('link', { name: 'Previous page' });
    expect(back.getAttribute('href')).toBe('/destinations?cursor=BACK');
    expect(back.getAttribute('rel')).toBe('prev');
    // Every page asked for one page, never the whole list.
    expect(api.requests.filter((r) => r.url.pathname === '/api/v1/destinations').every((r) => r.url.searchParams.has('limit'))).toBe(true);
    expect(api.unanswered).toEqual([]);
  });

  it('sends each filter to the server and starts again at the first page', async () => {
    const { api } = listApi();
    renderApp(<DestinationsList />, '/destinations?cursor=SECOND&page=2');
    await screen.findByText('51–55 of 55 connectors.');
    await userEvent.selectOptions(screen.getByLabelText('Last check'), 'failing');
    await waitFor(() => expect(window.location.search).toBe('?status=failing'));
    const asked = api.requests.filter((r) => r.url.pathname === '/api/v1/destinations' && r.url.searchParams.get('status') === 'failing');
    await waitFor(() => expect(asked.length).toBeGreaterThan(0));
    expect(asked.every((r) => !r.url.searchParams.has('cursor'))).toBe(true);
  });

  it('offers a viewer no change: no New connector, no Test, Edit or Delete', async () => {
    const { first } = listApi('viewer');
    renderApp(<DestinationsList />, '/destinations');
    await screen.findByText(first[0]?.name as string);
    expect(screen.queryByRole('link', { name: 'New connector' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Test / })).toBeNull();
    expect(screen.queryByRole('link', { name: /^Edit / })).toBeNull();
  });
});
