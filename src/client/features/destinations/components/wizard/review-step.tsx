import { parseBucketUri } from '#shared/bucket-uri';
import { CHECK_SCHEDULE_LABELS, DEFAULT_CHECK_SCHEDULE } from '#shared/check-schedule';
import { METHODS, PROVIDERS, type ConnectorFormField, type ConnectorFormValues } from '#shared/connector-form';
import { buildLeastPrivilegePolicy } from '#shared/iam-policy';
import { partitionOf } from '#shared/s3-arn';
import { CopyButton } from '#client/ui/copy-button.tsx';
import '#client/ui/facts.css';
import '../policy.css';
import { formatWhen } from '#client/ui/relative-time.ts';
import { Notice } from '#client/ui/notice.tsx';

/** Everything entered, secrets as "set" only, and the policy this bucket and prefix need. */
export function ReviewStep({ values, warnings }: { values: ConnectorFormValues; warnings: Partial<Record<ConnectorFormField, string>> }) {
  const custom = values.provider !== 'aws';
  const parsed = parseBucketUri(values.remote_url, { customEndpoint: custom, ambientCredentials: values.method === 'ambient' });
  const policy = parsed.ok ? buildLeastPrivilegePolicy(parsed.value.bucket, parsed.value.prefix, partitionOf(values.region)) : null;
  const usesKey = values.method === 'access_key' || values.method === 'temporary';
  const rows: [string, string][] = [
    ['Name', values.name],
    ['Provider', PROVIDERS[values.provider].label],
    ['Bucket URI', parsed.ok ? parsed.value.normalized : values.remote_url],
    ...(custom ? ([['Custom URL', values.endpoint_url]] as [string, string][]) : []),
    ['Region', values.region || 'Found automatically'],
    ['Authentication', METHODS[values.method].label],
    ...(usesKey
      ? ([
          ['AWS Key', values.key],
          ['AWS Secret Key', values.secret ? 'Set' : 'Not set'],
        ] as [string, string][])
      : []),
    ...(values.method === 'iam_role'
      ? ([
          ['Role ARN', values.role_arn],
          ['External ID', values.external_id || 'Not made yet'],
        ] as [string, string][])
      : []),
    ...(values.method === 'temporary'
      ? ([
          ['STS Token', values.token ? 'Set' : 'Not set'],
          [
            'Token expiry',
            values.token_expires_at && !Number.isNaN(Date.parse(values.token_expires_at))
              ? formatWhen(values.token_expires_at)
              : values.token_expires_at || 'Unknown',
          ],
        ] as [string, string][])
      : []),
    // The server's default for a new connector; changed on its page once saved.
    ['Checked again by itself', `${CHECK_SCHEDULE_LABELS[DEFAULT_CHECK_SCHEDULE]} (change it on the connector's page)`],
  ];
  const warningList = Object.values(warnings);
  return (
    <>
      <dl className="review">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {warningList.length > 0 && (
        <Notice tone="warning" as="ul" aria-label="Warnings">
          {warningList.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </Notice>
      )}
      {policy && !custom && (
        // Collapsed until asked for: at 1440×900 an open policy pushed the test results below the fold.
        <details className="policy-block">
          <summary>Least-privilege IAM policy</summary>
          <p className="muted">
            {values.method === 'iam_role' ? 'Attach this to the role as its permissions policy' : 'Attach this to the identity of the AWS Key'}: it
            may list the bucket and write, abort and delete under the prefix — nothing else.
          </p>
          <pre aria-label="IAM policy" tabIndex={0}>
            {policy}
          </pre>
          <CopyButton text={policy} label="Copy policy" />
        </details>
      )}
    </>
  );
}
