import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const requestId = () => randomBytes(8).toString('hex').toUpperCase();
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** S3's error body, byte for byte in AWS's layout. */
export function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const id = requestId();
  const fields = Object.entries(extra)
    .map(([name, value]) => `<${name}>${escape(value)}</${name}>`)
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message>` +
    `${fields}<RequestId>${id}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': id, ...headers });
  // HEAD responses carry no body, as on S3.
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const NAMESPACES = { sts: 'https://sts.amazonaws.com/doc/2011-06-15/', iam: 'https://iam.amazonaws.com/doc/2010-05-08/' };

/** STS's (or IAM's: the same query protocol) error body. */
export function sendStsError(res: ServerResponse, status: number, code: string, message: string, service: keyof typeof NAMESPACES = 'sts') {
  const id = requestId();
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': id });
  res.end(
    `<ErrorResponse xmlns="${NAMESPACES[service]}">\n  <Error>\n    <Type>Sender</Type>\n` +
      `    <Code>${code}</Code>\n    <Message>${escape(message)}</Message>\n  </Error>\n  <RequestId>${id}</RequestId>\n</ErrorResponse>\n`,
  );
}

export function sendCallerIdentity(res: ServerResponse, identity: { arn: string; userId: string; account: string }) {
  const id = requestId();
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': id });
  res.end(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n` +
      `    <Arn>${identity.arn}</Arn>\n    <UserId>${identity.userId}</UserId>\n    <Account>${identity.account}</Account>\n` +
      `  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${id}</RequestId>\n  </ResponseMetadata>\n` +
      `</GetCallerIdentityResponse>\n`,
  );
}

/**
 * STS AssumeRole's answer, in the layout of the example in AWS's STS API Reference (AssumeRole, "Examples"): the
 * assumed role user, then the temporary credentials with their expiry.
 */
export function sendAssumedRole(
  res: ServerResponse,
  assumed: { arn: string; assumedRoleId: string; accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date },
) {
  const id = requestId();
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': id });
  res.end(
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n` +
      `      <Arn>${escape(assumed.arn)}</Arn>\n      <AssumedRoleId>${escape(assumed.assumedRoleId)}</AssumedRoleId>\n    </AssumedRoleUser>\n` +
      `    <Credentials>\n      <AccessKeyId>${assumed.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${escape(assumed.secretAccessKey)}</SecretAccessKey>\n` +
      `      <SessionToken>${escape(assumed.sessionToken)}</SessionToken>\n      <Expiration>${assumed.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')}</Expiration>\n` +
      `    </Credentials>\n    <PackedPolicySize>0</PackedPolicySize>\n  </AssumeRoleResult>\n` +
      `  <ResponseMetadata>\n    <RequestId>${id}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n`,
  );
}

/** IAM's answer to an action that returns nothing but its request ID (UpdateAssumeRolePolicy). */
export function sendIamDone(res: ServerResponse, action: string) {
  const id = requestId();
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': id });
  res.end(
    `<${action}Response xmlns="${NAMESPACES.iam}">\n  <ResponseMetadata>\n    <RequestId>${id}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
  );
}
