import type { Destination } from '#shared/destination-schemas';
import { PROVIDERS } from '#shared/providers';
import { Link } from '#client/lib/router.tsx';
import { useCan } from '#client/lib/session.ts';
import { CredentialsBadge, METHOD_LABEL } from './credentials-badge.tsx';
import { TrustPolicy } from './role-fields.tsx';
import '#client/ui/facts.css';
import './destination-config.css';
import { formatWhen } from '#client/ui/relative-time.ts';

/** The saved configuration: secrets only as "Set", with a way to replace them. */
export function DestinationConfig({ destination }: { destination: Destination }) {
  const { config, credentials } = destination;
  const usesKey = credentials.method === 'access_key' || credentials.method === 'temporary';
  // Only for those who may: a viewer would be led to a page that says it needs the editor role.
  const canEdit = useCan('connectors.write');
  const replace = canEdit ? (
    <Link to={`/destinations/${destination.id}/edit`} className="inline-action">
      Replace
    </Link>
  ) : null;
  return (
    <dl className="config">
      <div>
        <dt>Bucket URI</dt>
        <dd>
          <code>{config.remote_url}</code>
        </dd>
      </div>
      <div>
        <dt>Storage provider</dt>
        <dd>
          {PROVIDERS[config.provider].label}
          {config.endpoint_url && (
            <>
              {' at '}
              <code>{config.endpoint_url}</code>
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>Region</dt>
        <dd>{config.region ?? 'Found automatically'}</dd>
      </div>
      <div>
        <dt>Authentication</dt>
        <dd>
          {METHOD_LABEL[credentials.method]} <CredentialsBadge credentials={credentials} showMethod={false} />
        </dd>
      </div>
      {usesKey && (
        <>
          <div>
            <dt>AWS Key</dt>
            <dd>
              <code>{config.key}</code>
            </dd>
          </div>
          <div>
            <dt>AWS Secret Key</dt>
            <dd>
              {config.has_secret ? 'Set' : 'Not set'} {replace}
            </dd>
          </div>
        </>
      )}
      {credentials.method === 'iam_role' && (
        <>
          <div>
            <dt>Role ARN</dt>
            <dd>
              <code>{config.role_arn}</code>
            </dd>
          </div>
          <div>
            <dt>External ID</dt>
            <dd>
              <code>{config.external_id ?? 'None yet: save the connector again'}</code>
            </dd>
          </div>
          <div className="config-wide">
            <dt>Trust policy</dt>
            <dd>
              <details>
                <summary>What the role must trust</summary>
                <TrustPolicy externalId={config.external_id ?? ''} />
              </details>
            </dd>
          </div>
        </>
      )}
      {credentials.method === 'temporary' && (
        <>
          <div>
            <dt>STS Token</dt>
            <dd>
              {config.has_token ? 'Set' : 'Not set'} {replace}
            </dd>
          </div>
          <div>
            <dt>Token expiry</dt>
            <dd>
              {config.token_expires_at ? (
                <time dateTime={config.token_expires_at}>{formatWhen(config.token_expires_at)}</time>
              ) : (
                <>
                  Unknown{' '}
                  {canEdit && (
                    <Link to={`/destinations/${destination.id}/edit?focus=token_expires_at`} className="inline-action">
                      Add it to be warned before it expires
                    </Link>
                  )}
                </>
              )}
            </dd>
          </div>
        </>
      )}
    </dl>
  );
}
