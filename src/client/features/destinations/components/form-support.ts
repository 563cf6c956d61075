import { useCallback } from 'react';
import type { FieldPath, RegisterOptions, UseFormRegister, UseFormReturn, UseFormSetError, UseFormSetValue } from 'react-hook-form';
import type { ImportedDestination } from '#shared/unstructured-import';
import type { PastedCredentials } from '#shared/paste-credentials';
import { formFieldOf, placeIssue, formToDraft, type ConnectorFormField, type ConnectorFormValues } from '#shared/connector-form';
import type { Destination } from '#shared/destination-schemas';
import { normalizeS3Config, type S3ConfigField } from '#shared/s3-config';
import { collectWarnings } from '#shared/warnings';
import type { ApiError } from '#client/lib/api-client.ts';
import { useNow } from '#client/ui/use-now.ts';

/** The shared warnings of what is typed now, on the form field each concerns. */
export function useConfigWarnings(values: ConnectorFormValues): Partial<Record<ConnectorFormField, string>> {
  const now = useNow(30_000);
  const warnings: Partial<Record<ConnectorFormField, string>> = {};
  try {
    for (const warning of collectWarnings(normalizeS3Config(formToDraft(values)), new Date(now))) {
      warnings[formFieldOf(warning.field)] ??= warning.message;
    }
  } catch {
    // An unfinished URL or time yields no warning; the field's own error says what is wrong.
  }
  return warnings;
}

/** Puts a server 409/422 on the fields it names; returns those fields (empty when none matched). */
export function applyServerErrors(
  error: ApiError,
  setError: UseFormSetError<ConnectorFormValues>,
  values: ConnectorFormValues,
): ConnectorFormField[] {
  const fields: ConnectorFormField[] = [];
  if (error.status === 409 && typeof error.detail === 'string') {
    setError('name', { message: error.detail }, { shouldFocus: false });
    return ['name'];
  }
  if (error.status !== 422 || !Array.isArray(error.detail)) return fields;
  for (const item of error.detail) {
    const [, first, second] = item.loc;
    const named = first === 'name' ? 'name' : first === 'config' && typeof second === 'string' ? formFieldOf(second as S3ConfigField) : null;
    if (!named) continue;
    // Never on a field these choices hide.
    const { field, message } = placeIssue(named, item.msg, values);
    if (!fields.includes(field)) {
      setError(field, { message });
      fields.push(field);
    }
  }
  return fields;
}

/**
 * "onTouched" validation that does not swallow clicks: a field is checked when focus leaves it for another field,
 * and re-checked as it is fixed, but not when focus leaves it for a button. An error appearing on that blur would
 * push the button away from under the pointer between mousedown and mouseup, and the click (Next, Save) would be
 * lost. The button's own handler validates instead.
 */
export function useTouchedValidation(form: UseFormReturn<ConnectorFormValues>): UseFormRegister<ConnectorFormValues> {
  const { register, trigger, getFieldState } = form;
  return useCallback(
    (name: FieldPath<ConnectorFormValues>, options?: RegisterOptions<ConnectorFormValues, FieldPath<ConnectorFormValues>>) =>
      register(name, {
        ...options,
        onBlur: (event: React.FocusEvent) => {
          options?.onBlur?.(event);
          if (!(event.relatedTarget instanceof HTMLButtonElement)) void trigger(name);
        },
        onChange: (event: React.ChangeEvent) => {
          options?.onChange?.(event);
          if (getFieldState(name).invalid) void trigger(name);
        },
      }),
    [register, trigger, getFieldState],
  ) as UseFormRegister<ConnectorFormValues>;
}

/** The form's values for a saved connector: everything but the secrets, which stay on the server. */
export function valuesOf(d: Destination): ConnectorFormValues {
  return {
    name: d.name,
    provider: d.config.provider,
    remote_url: d.config.remote_url,
    endpoint_url: d.config.endpoint_url ?? '',
    region: d.config.region ?? '',
    method: d.credentials.method,
    key: d.config.key ?? '',
    secret: '',
    token: '',
    token_expires_at: d.config.token_expires_at ?? '',
    role_arn: d.config.role_arn ?? '',
    external_id: d.config.external_id ?? '',
  };
}

/** Fills the credential fields from a paste; a token means temporary credentials. */
export function fillFromPaste(setValue: UseFormSetValue<ConnectorFormValues>, pasted: PastedCredentials) {
  const options = { shouldDirty: true, shouldValidate: true };
  setValue('method', pasted.token ? 'temporary' : 'access_key', options);
  setValue('key', pasted.key, options);
  setValue('secret', pasted.secret, options);
  setValue('token', pasted.token ?? '', options);
  setValue('token_expires_at', pasted.expiresAt ?? '', options);
}

/** Fills the whole form from an Unstructured s3 destination; what it lacks (a masked secret) stays to be entered. */
export function fillFromImport(setValue: UseFormSetValue<ConnectorFormValues>, imported: ImportedDestination) {
  const options = { shouldDirty: true };
  if (imported.name) setValue('name', imported.name, options);
  setValue('provider', imported.endpoint_url ? 'other' : 'aws', options);
  setValue('remote_url', imported.remote_url, options);
  setValue('endpoint_url', imported.endpoint_url ?? '', options);
  setValue('method', imported.anonymous ? 'anonymous' : imported.token ? 'temporary' : 'access_key', options);
  setValue('key', imported.key ?? '', options);
  setValue('secret', imported.secret ?? '', options);
  setValue('token', imported.token ?? '', options);
}
