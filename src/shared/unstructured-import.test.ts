import { describe, expect, it } from 'vitest';
import { describeImport, readUnstructuredDestination } from './unstructured-import.ts';

// As Unstructured's API answers GET /api/v1/destinations/{id} (DestinationConnectorInformation), secrets masked.
const FROM_UNSTRUCTURED = {
  id: '0b6c5a3e-6f1a-4d6b-9d7e-2f5b1c9a8e70',
  name: 'Invoices to MinIO',
  type: 's3',
  config: {
    remote_url: 's3://invoices/out/',
    anonymous: false,
    key: 'minio-user',
    secret: '**********',
    endpoint_url: 'https://minio.example.com:9000',
  },
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
};

describe('importing an Unstructured destination', () => {
  it('takes the name, Bucket URI, Custom URL and key, and asks for the masked secret', () => {
    const result = readUnstructuredDestination(FROM_UNSTRUCTURED);
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Invoices to MinIO',
        remote_url: 's3://invoices/out/',
        endpoint_url: 'https://minio.example.com:9000',
        anonymous: false,
        key: 'minio-user',
        secret: null,
        token: null,
      },
    });
    expect(result?.ok && describeImport(result.value)).toBe(
      'Filled Name, Bucket URI, Custom URL and AWS Key from an Unstructured destination. Enter the AWS Secret Key: Unstructured does not show saved secrets.',
    );
  });

  it('takes real secrets when the paste carries them (a create request of its own), never a mask', () => {
    const result = readUnstructuredDestination({
      name: 'x',
      type: 's3',
      config: { remote_url: 's3://b/', key: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', token: '****' },
    });
    expect(result).toMatchObject({ ok: true, value: { secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', token: null, endpoint_url: null } });
  });

  it('says when the destination is another type, or lacks its Bucket URI', () => {
    expect(readUnstructuredDestination({ name: 'x', type: 'gcs', config: {} })).toEqual({
      ok: false,
      message: 'This is an Unstructured destination of type "gcs"; only s3 destinations can be imported here.',
    });
    expect(readUnstructuredDestination({ type: 's3', config: { key: 'k' } })).toMatchObject({
      ok: false,
      message: expect.stringContaining('no remote_url'),
    });
  });

  it.each([[null], [[]], [{ Credentials: { AccessKeyId: 'A' } }], [{ type: 's3' }], ['s3']])('leaves %j to the other readers', (data) => {
    expect(readUnstructuredDestination(data)).toBeNull();
  });

  it('says an anonymous destination needs no secret', () => {
    const result = readUnstructuredDestination({ name: 'Public', type: 's3', config: { remote_url: 's3://open/', anonymous: true } });
    expect(result?.ok && describeImport(result.value)).toBe('Filled Name and Bucket URI from an Unstructured destination.');
  });
});
