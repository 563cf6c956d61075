// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, renderApp } from '#client/test-support/fake-api.tsx';
import { PasteCredentialsBox } from './paste-credentials-box.tsx';

const STS_OUTPUT = JSON.stringify({
  Credentials: {
    AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    SessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
    Expiration: '2030-01-01T12:00:00Z',
  },
});

describe('the paste box', () => {
  it('fills the credentials from a paste, clears itself, says what it found, and sends nothing anywhere', async () => {
    const api = fakeApi();
    const onFill = vi.fn();
    renderApp(<PasteCredentialsBox onFill={onFill} />);
    const box = screen.getByLabelText('Paste credentials (optional)');
    await userEvent.click(box);
    await userEvent.paste(STS_OUTPUT);
    expect(onFill).toHaveBeenCalledWith(
      expect.objectContaining({
        key: 'ASIAIOSFODNN7EXAMPLE',
        secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        token: 'FwoGZXIvYXdzEXAMPLETOKEN',
        expiresAt: '2030-01-01T12:00:00.000Z',
      }),
    );
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByRole('status').textContent).toMatch(/^Filled key, secret and token; expires /);
    expect(box.getAttribute('aria-invalid')).toBeNull();
    expect(api.requests).toEqual([]);
  });

  it('refuses what it cannot read on the box itself, and keeps the text to correct', async () => {
    const onFill = vi.fn();
    renderApp(<PasteCredentialsBox onFill={onFill} />);
    const box = screen.getByLabelText('Paste credentials (optional)');
    await userEvent.click(box);
    await userEvent.paste('not credentials at all');
    expect(onFill).not.toHaveBeenCalled();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((box as HTMLTextAreaElement).value).toBe('not credentials at all');
    expect(screen.getByRole('status').textContent).not.toBe('');
  });
});
