import { useEffect, useRef, useState } from 'react';
import type { UseFormSetValue } from 'react-hook-form';
import type { ConnectorFormValues } from '#shared/connector-form';
import { isRoleSessionArn, trustPolicy } from '#shared/iam-role';
import { CodeBlock } from '#client/ui/code-block.tsx';
import { Field } from '#client/ui/field.tsx';
import { createExternalId, useIamRoleSettings } from '../api/iam-role.ts';
import type { FieldsProps } from './connector-fields.tsx';
import { Notice } from '#client/ui/notice.tsx';

const roleInput = { autoComplete: 'off', spellCheck: false, autoCapitalize: 'off', autoCorrect: 'off' } as const;

/**
 * The "IAM role" method: the role's ARN, and what to put on the role so this server may assume it — the trust policy
 * naming the server's principal with this connector's external ID. A new connector gets its external ID from the
 * server as soon as the method is chosen, so the policy pasted into AWS is the one the connector is saved with.
 */
export function RoleFields({ register, errors, values, setValue }: FieldsProps & { setValue: UseFormSetValue<ConnectorFormValues> }) {
  const [issueFailed, setIssueFailed] = useState(false);
  const asked = useRef(false);
  const needsId = values.method === 'iam_role' && values.external_id === '';
  useEffect(() => {
    if (!needsId || asked.current) return;
    asked.current = true;
    createExternalId().then(
      ({ external_id: id }) => setValue('external_id', id, { shouldDirty: true }),
      () => setIssueFailed(true),
    );
  }, [needsId, setValue]);

  return (
    <>
      <Field
        label="Role ARN"
        error={errors.role_arn?.message}
        hint={
          <>
            The role this server assumes, in your account or another: <code>arn:aws:iam::123456789012:role/s3-writer</code>. Its permissions policy
            grants the S3 actions (the review step shows them).
          </>
        }
      >
        {(props) => <input {...props} type="text" {...roleInput} placeholder="arn:aws:iam::123456789012:role/s3-writer" {...register('role_arn')} />}
      </Field>
      <TrustPolicy externalId={values.external_id} failed={issueFailed} />
    </>
  );
}

/** The trust policy for a role this server assumes, or why it cannot be shown yet. */
export function TrustPolicy({ externalId, failed = false }: { externalId: string; failed?: boolean }) {
  const settings = useIamRoleSettings(true);
  if (failed) return <Notice tone="error">The server did not give this connector an external ID; reload the page to try again.</Notice>;
  if (settings.isPending || externalId === '') return <p className="muted">Preparing the trust policy…</p>;
  if (settings.isError) return <Notice tone="error">Could not ask the server which identity it assumes roles with: {settings.error.message}</Notice>;
  const { principal_arn: principal, caller_arn: caller, problem } = settings.data;
  if (problem !== null || principal === null) {
    return (
      <Notice tone="error" as="div" role="alert">
        <p>
          <strong>This server cannot assume roles yet.</strong> {problem}
        </p>
      </Notice>
    );
  }
  return (
    <div className="trust-policy">
      <p>
        <strong>External ID</strong> <code>{externalId}</code>
        <span className="muted"> — this connector’s own; not a secret.</span>
      </p>
      <p>
        In the IAM console, open the role, then <em>Trust relationships → Edit trust policy</em>, and replace it with this. It lets this server (
        {principal}) assume the role only with this connector’s external ID.
      </p>
      {caller !== null && isRoleSessionArn(caller) && (
        <p className="muted">
          This server runs as the role session {caller}; if that role has a path (…:role/team/name), add the path to the principal.
        </p>
      )}
      <CodeBlock title="Trust policy" code={JSON.stringify(trustPolicy(principal, externalId), null, 2)} />
    </div>
  );
}
