import { useState, type ReactNode } from 'react';
import type { FieldErrors, UseFormRegister, UseFormRegisterReturn, UseFormSetValue } from 'react-hook-form';
import { METHODS, PROVIDERS, type ConnectorFormField, type ConnectorFormValues, type Method, type Provider } from '#shared/connector-form';
import type { CheckOptions } from '#shared/s3-config';
import { Field, type FieldControlProps } from '#client/ui/field.tsx';
import './connector-fields.css';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

export type FieldsProps = {
  register: UseFormRegister<ConnectorFormValues>;
  errors: FieldErrors<ConnectorFormValues>;
  warnings: Partial<Record<ConnectorFormField, string>>;
  values: ConnectorFormValues;
};

/** A radio option named by its title alone and described by its help, the whole card clickable. */
function Choice({
  id,
  title,
  help,
  children,
}: {
  id: string;
  title: string;
  help: string;
  children: (aria: { 'aria-labelledby': string; 'aria-describedby': string }) => ReactNode;
}) {
  return (
    <label className="choice">
      {children({ 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-help` })}
      <span>
        <strong id={`${id}-title`}>{title}</strong>
        <span id={`${id}-help`} className="muted">
          {help}
        </span>
      </span>
    </label>
  );
}

const secretInput = { autoComplete: 'off', spellCheck: false, autoCapitalize: 'off', autoCorrect: 'off' } as const;

/**
 * A secret typed in this form, hidden as it is typed, with Show to check it (a 40-character paste, say). Only what was
 * typed here can be shown: a saved secret never comes back to the browser, and the field starts empty.
 */
function SecretInput({
  props,
  label,
  registration,
  mono = false,
}: {
  props: FieldControlProps;
  label: string;
  registration: UseFormRegisterReturn;
  mono?: boolean;
}) {
  const [shown, setShown] = useState(false);
  return (
    <span className="secret-input">
      <input {...props} type={shown ? 'text' : 'password'} {...secretInput} className={mono ? 'secret-text' : undefined} {...registration} />
      <Button size="small" aria-pressed={shown} aria-controls={props.id} onClick={() => setShown((now) => !now)}>
        {shown ? 'Hide' : 'Show'}
        <span className="visually-hidden"> {label}</span>
      </Button>
    </span>
  );
}

export function NameField({ register, errors, onLeave }: FieldsProps & { onLeave?: (name: string) => void }) {
  return (
    <Field label="Name" error={errors.name?.message} hint="How this connector is listed, for example “Invoices (prod)”. Unique.">
      {(props) => (
        <input
          {...props}
          type="text"
          autoComplete="off"
          {...register('name', { onBlur: (event: React.FocusEvent<HTMLInputElement>) => onLeave?.(event.target.value) })}
        />
      )}
    </Field>
  );
}

export function ProviderField({ register, setValue, values }: FieldsProps & { setValue: UseFormSetValue<ConnectorFormValues> }) {
  const choose = (provider: Provider) => {
    const previous = PROVIDERS[values.provider].region;
    // Pre-shape the region for providers that need one, unless the user typed their own.
    if (values.region === '' || values.region === previous) setValue('region', PROVIDERS[provider].region ?? '');
  };
  return (
    <fieldset className="choices">
      <legend>Storage provider</legend>
      {(Object.keys(PROVIDERS) as Provider[]).map((provider) => (
        <Choice
          key={provider}
          id={`provider-${provider}`}
          title={PROVIDERS[provider].label}
          help={provider === 'aws' ? PROVIDERS.aws.help : `S3-compatible. ${PROVIDERS[provider].help}`}
        >
          {(aria) => (
            <input type="radio" value={provider} {...aria} {...register('provider', { onChange: (e) => choose(e.target.value as Provider) })} />
          )}
        </Choice>
      ))}
    </fieldset>
  );
}

export function BucketFields({ register, errors, warnings, values }: FieldsProps) {
  const provider = PROVIDERS[values.provider];
  return (
    <>
      <Field
        label="Bucket URI"
        error={errors.remote_url?.message}
        warning={warnings.remote_url}
        hint={
          <>
            The bucket, and optionally a folder (prefix) to write under: <code>s3://my-bucket/</code> or <code>s3://my-bucket/exports/</code>.
          </>
        }
      >
        {(props) => (
          <input {...props} type="text" autoComplete="off" spellCheck={false} placeholder="s3://my-bucket/exports/" {...register('remote_url')} />
        )}
      </Field>
      {values.provider !== 'aws' && (
        <Field label="Custom URL" error={errors.endpoint_url?.message} warning={warnings.endpoint_url} hint={provider.help}>
          {(props) => (
            <input
              {...props}
              type="url"
              autoComplete="off"
              spellCheck={false}
              placeholder={provider.endpointExample ?? ''}
              {...register('endpoint_url')}
            />
          )}
        </Field>
      )}
      <Field
        label="Region (optional)"
        error={errors.region?.message}
        warning={warnings.region}
        hint={values.provider === 'aws' ? 'Leave empty to have the bucket’s region found automatically.' : 'The region your provider signs for.'}
      >
        {(props) => (
          <input {...props} type="text" autoComplete="off" spellCheck={false} placeholder={provider.region ?? 'us-east-1'} {...register('region')} />
        )}
      </Field>
    </>
  );
}

/** The methods this server offers (ambient credentials and IAM roles are the operator's to allow), and the one saved. */
export function MethodField({ register, errors, options, values }: FieldsProps & { options: CheckOptions }) {
  const offered = (m: Method) => (m === 'ambient' ? options.allowAmbientCredentials : m === 'iam_role' ? options.allowIamRoles === true : true);
  const methods = (Object.keys(METHODS) as Method[]).filter((m) => offered(m) || m === values.method);
  return (
    <fieldset className="choices" aria-describedby={errors.method ? 'method-error' : undefined}>
      <legend>Authentication method</legend>
      {methods.map((method) => (
        <Choice key={method} id={`method-${method}`} title={METHODS[method].label} help={METHODS[method].help}>
          {(aria) => <input type="radio" value={method} {...aria} {...register('method')} />}
        </Choice>
      ))}
      {errors.method && (
        <p id="method-error" className="field-error">
          {errors.method.message}
        </p>
      )}
    </fieldset>
  );
}

/** AWS Key, AWS Secret Key, STS Token and expiry: only those the method needs. `keptSecret` says a saved one stays. */
export function CredentialFields({
  register,
  errors,
  warnings,
  values,
  saved,
  onUseTemporary,
}: FieldsProps & { saved?: { hasSecret: boolean; hasToken: boolean }; onUseTemporary?: () => void }) {
  if (values.method === 'iam_role') return null;
  if (values.method === 'anonymous' || values.method === 'ambient') {
    return values.method === 'anonymous' ? (
      <Notice tone="warning">Anonymous access is not recommended: it only works with a bucket anyone can write to.</Notice>
    ) : null;
  }
  const keep = (has: boolean | undefined, what: string) =>
    has ? `A ${what} is saved: leave this empty to keep it, or type a new one to replace it.` : undefined;
  return (
    <>
      <Field
        label="AWS Key"
        error={errors.key?.message}
        warning={warnings.key}
        hint={
          values.provider === 'aws'
            ? 'The access key ID, like AKIAIOSFODNN7EXAMPLE (ASIA… for temporary credentials).'
            : 'Your provider’s access key.'
        }
      >
        {(props) => <input {...props} type="text" {...secretInput} {...register('key')} />}
      </Field>
      {onUseTemporary && values.method === 'access_key' && /^ASIA/i.test(values.key.trim()) && (
        <p className="field-action">
          <Button size="small" onClick={onUseTemporary}>
            Use Temporary credentials
          </Button>
        </p>
      )}
      <Field
        label="AWS Secret Key"
        error={errors.secret?.message}
        warning={warnings.secret}
        hint={keep(saved?.hasSecret, 'secret key') ?? 'Hidden as you type; Show reveals what you typed here. Never shown again once saved.'}
      >
        {(props) => <SecretInput props={props} label="AWS Secret Key" registration={register('secret')} />}
      </Field>
      {values.method === 'temporary' && (
        <>
          <Field
            label="STS Token"
            error={errors.token?.message}
            warning={warnings.token}
            hint={
              keep(saved?.hasToken, 'token') ?? 'The session token, hidden as the secret key is; line breaks and spaces from pasting are removed.'
            }
          >
            {(props) => <SecretInput props={props} label="STS Token" registration={register('token')} mono />}
          </Field>
          <Field
            label="Token expiry (optional)"
            error={errors.token_expires_at?.message}
            warning={warnings.token_expires_at}
            hint="When the credentials expire, as an RFC 3339 time like 2026-11-24T18:30:00Z (the Expiration the AWS CLI prints). Add it to be warned before they expire."
          >
            {(props) => <input {...props} type="text" autoComplete="off" spellCheck={false} {...register('token_expires_at')} />}
          </Field>
        </>
      )}
    </>
  );
}
