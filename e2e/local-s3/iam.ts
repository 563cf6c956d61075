import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * `aws iam update-assume-role-policy`, as the AWS CLI sends it (IAM's query protocol, SigV4 for service "iam"): how a
 * test, as the customer's administrator, puts the trust policy the app shows on a role. No IAM client is a dependency
 * of this project for one call; the request is the same.
 */
export async function updateAssumeRolePolicy(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  roleName: string,
  policy: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({
    Action: 'UpdateAssumeRolePolicy',
    Version: '2010-05-08',
    RoleName: roleName,
    PolicyDocument: policy,
  }).toString();
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(request);
  const response = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  return { status: response.status, body: await response.text() };
}
