// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, renderApp } from '#client/test-support/fake-api.tsx';
import { NewConnectorWizard } from './new-connector-wizard.tsx';

/** [field, value, step it is on, what the field says] — the browser suite walks three of them (e2e/new-connector.spec.ts). */
const FIELD_CASES: [string, string, 'Connector' | 'Bucket' | 'Authentication', string][] = [
  ['Name', '', 'Connector', 'Enter a name for this connector'],
  ['Name', 'n'.repeat(101), 'Connector', 'Names can be at most 100 characters'],
  ['Bucket URI', '', 'Bucket', 'Enter a Bucket URI, like s3://my-bucket/ or s3://my-bucket/exports/'],
  ['Bucket URI', 'my-bucket', 'Bucket', 'Bucket URIs start with s3:// — for example s3://my-bucket/ or s3://my-bucket/exports/'],
  ['Bucket URI', 's3://My-Bucket/', 'Bucket', "Bucket names can't contain uppercase letters"],
  ['Bucket URI', 's3://ab/', 'Bucket', 'Bucket names must be 3 to 63 characters long (this one has 2)'],
  ['Bucket URI', 's3://my..bucket/', 'Bucket', "Bucket names can't contain two dots in a row"],
  ['Bucket URI', 's3://my-bucket//x/', 'Bucket', "Remove the extra / after the bucket name: the prefix can't start with /"],
  ['Region (optional)', 'Frankfurt', 'Bucket', 'AWS regions look like us-east-1 or eu-west-2: lowercase letters, hyphens and a number'],
  ['AWS Key', '', 'Authentication', 'Enter the AWS Key (an access key ID such as AKIA…), or choose anonymous access'],
  ['AWS Key', 'akia123', 'Authentication', 'AWS Keys contain only uppercase letters and digits, like AKIAIOSFODNN7EXAMPLE'],
  ['AWS Key', 'AKIA123', 'Authentication', 'AWS Keys are 16 to 128 characters long (this one has 7)'],
  ['AWS Secret Key', 'short', 'Authentication', 'AWS Secret Keys are exactly 40 characters of letters, digits, / + and ='],
];
const STEP_FIELDS = {
  Connector: ['Name'],
  Bucket: ['Bucket URI', 'Region (optional)'],
  Authentication: ['AWS Key', 'AWS Secret Key'],
} as const;
const VALID: Record<string, string> = {
  Name: 'Exports',
  'Bucket URI': 's3://my-bucket/',
  'Region (optional)': '',
  'AWS Key': 'AKIAIOSFODNN7EXAMPLE',
  'AWS Secret Key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

const input = (label: string) => (label === 'AWS Key' ? screen.getByRole('textbox', { name: 'AWS Key' }) : screen.getByLabelText(label));

function wizardApi() {
  const api = fakeApi();
  api.signedIn('editor');
  // The name is free.
  api.on('GET', '/api/v1/destinations', () => json([]));
  return api;
}

describe('the new connector wizard', () => {
  it.each(FIELD_CASES)('%s = %j on the %s step: the field says "%s", is marked invalid and focused', async (label, value, stepTitle, message) => {
    const api = wizardApi();
    renderApp(<NewConnectorWizard checkOptions={{ allowAmbientCredentials: false }} />, '/destinations/new');
    for (const step of ['Connector', 'Bucket', 'Authentication'] as const) {
      await screen.findByText(new RegExp(`: ${step}$`));
      for (const field of STEP_FIELDS[step]) {
        const target = input(field);
        await userEvent.clear(target);
        const text = field === label ? value : (VALID[field] ?? '');
        if (text) await userEvent.click(target).then(() => userEvent.paste(text));
      }
      await userEvent.click(screen.getByRole('button', { name: 'Next' }));
      if (step === stepTitle) break;
    }
    const field = input(label);
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const described = (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described.join(' ')).toContain(message);
    expect(document.activeElement).toBe(field);
    // The step stays: nothing saved, nothing tested.
    expect(screen.getByText(new RegExp(`: ${stepTitle}$`))).toBeTruthy();
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(screen.queryByText('Invalid input')).toBeNull();
  });
});
