import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { createConnectorFormSchema, formToPatch, type ConnectorFormValues } from '#shared/connector-form';
import type { Destination } from '#shared/destination-schemas';
import { ApiError, NetworkError } from '#client/lib/api-client.ts';
import { flash } from '#client/lib/flash.ts';
import { Link, navigate, useLeaveGuard, useLocation } from '#client/lib/router.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { isNotFound } from '#client/lib/api-client.ts';
import { NotFound } from '#client/ui/not-found.tsx';
import { ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { destinationQueryOptions, useDestination } from '../api/get-destination.ts';
import { useUpdateDestination } from '../api/update-destination.ts';
import { connectionChecksQueryOptions } from '../api/get-connection-checks.ts';
import { useStartConnectionCheck } from '../api/start-connection-check.ts';
import type { CheckOptions } from '#shared/s3-config';
import { BucketFields, CredentialFields, MethodField, NameField, ProviderField } from './connector-fields.tsx';
import { RoleFields } from './role-fields.tsx';
import { applyServerErrors, fillFromPaste, useConfigWarnings, useTouchedValidation, valuesOf } from './form-support.ts';
import { PasteCredentialsBox } from './paste-credentials-box.tsx';
import { Button, ButtonLink } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

export function EditDestination({ id, checkOptions }: { id: string; checkOptions: CheckOptions }) {
  const destination = useDestination(id);
  if (destination.isPending) return <LoadingState label="Loading the connector…" />;
  if (destination.isError) {
    if (isNotFound(destination.error))
      return <NotFound title="Connector not found">There is no connector with this id to edit; it may have been deleted.</NotFound>;
    return <ErrorState title="Couldn't load the connector" message={destination.error.message} onRetry={() => void destination.refetch()} />;
  }
  return <EditForm key={destination.data.version} destination={destination.data} checkOptions={checkOptions} />;
}

function EditForm({ destination, checkOptions }: { destination: Destination; checkOptions: CheckOptions }) {
  const queryClient = useQueryClient();
  const saved = useMemo(() => ({ config: destination.config }), [destination]);
  const schema = useMemo(() => createConnectorFormSchema({ ...checkOptions, saved }), [checkOptions, saved]);
  const form = useForm<ConnectorFormValues>({ resolver: zodResolver(schema), mode: 'onSubmit', defaultValues: valuesOf(destination) });
  const { handleSubmit, control, setError, formState } = form;
  const register = useTouchedValidation(form);
  const values = useWatch({ control }) as ConnectorFormValues;
  const warnings = useConfigWarnings(values);
  const update = useUpdateDestination();
  const [failure, setFailure] = useState<{ message: string; stale?: boolean } | null>(null);
  const [done, setDone] = useState(false);
  useLeaveGuard(formState.isDirty && !done ? 'Leave without saving your changes to this connector?' : null);

  // A fix offered by a check's result (check-results.tsx): the region it found, set here to be saved, or the field
  // to change, focused. Read once, when the page opens.
  const { search } = useLocation();
  const [suggested] = useState(() => {
    const region = search.get('region');
    return region && /^[a-z0-9-]{1,64}$/.test(region) ? region : null;
  });
  const [focus] = useState(() => search.get('focus'));
  useEffect(() => {
    if (suggested) {
      form.setValue('region', suggested, { shouldDirty: true });
      form.setFocus('region');
    } else if (focus === 'remote_url' || focus === 'region' || focus === 'token_expires_at') {
      form.setFocus(focus);
    }
  }, [form, suggested, focus]);

  const startCheck = useStartConnectionCheck();
  // Save, or Save and Test: the check runs on what was just saved, and the detail page opens on its results.
  const save = (test: boolean) =>
    handleSubmit(async (v) => {
      setFailure(null);
      const config = formToPatch(v, saved);
      const changes = { ...(v.name.trim() !== destination.name ? { name: v.name } : {}), ...(Object.keys(config).length > 0 ? { config } : {}) };
      try {
        if (Object.keys(changes).length > 0) {
          await update.mutateAsync({ id: destination.id, version: destination.version, changes });
          setDone(true);
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          return setFailure({ message: 'This connector was changed elsewhere since you opened it.', stale: true });
        }
        if (error instanceof ApiError && applyServerErrors(error, setError, form.getValues()).length > 0) return;
        return setFailure({ message: error instanceof NetworkError ? `${error.message} Your changes are still here.` : (error as Error).message });
      }
      // Saved: whatever happens to the check now, the detail page is where to go (told why a check did not start,
      // beside its Test button). The form is re-keyed by the new version once the connector is read again.
      const check = test
        ? await startCheck.mutateAsync(destination.id).catch((error: Error) => {
            flash.set(`Saved. The check could not start: ${error.message}`);
            return null;
          })
        : null;
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: destinationQueryOptions(destination.id).queryKey }),
        queryClient.invalidateQueries({ queryKey: connectionChecksQueryOptions(destination.id).queryKey }),
      ]);
      navigate(`/destinations/${destination.id}${check ? `?check=${check.id}` : ''}`, { force: true });
    });
  const [submitter, setSubmitter] = useState<'save' | 'test'>('save');

  const reload = async () => {
    setFailure(null);
    // A new version re-keys the form with the saved values.
    await queryClient.refetchQueries({ queryKey: destinationQueryOptions(destination.id).queryKey });
  };

  const fieldProps = { register, errors: formState.errors, warnings, values };
  return (
    <section aria-labelledby="edit-title">
      <p className="breadcrumb">
        <Link to="/destinations">Destinations</Link> / <Link to={`/destinations/${destination.id}`}>{destination.name}</Link> /
      </p>
      <PageHeading title={`Edit ${destination.name}`} id="edit-title" />
      {suggested && (
        <Notice tone="info" role="status">
          Region set to {suggested}, where the check found the bucket: Save and Test to apply it.
        </Notice>
      )}
      <form
        className="card edit-form"
        onSubmit={(e) => {
          // The button that submitted (Enter submits with the first one, Save changes).
          const test = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'test';
          setSubmitter(test ? 'test' : 'save');
          void save(test)(e);
        }}
        noValidate
        aria-labelledby="edit-title"
      >
        <NameField {...fieldProps} />
        <h2>Bucket</h2>
        <ProviderField {...fieldProps} setValue={form.setValue} />
        <BucketFields {...fieldProps} />
        <h2>Authentication</h2>
        <MethodField {...fieldProps} options={checkOptions} />
        {values.method === 'iam_role' && <RoleFields {...fieldProps} setValue={form.setValue} />}
        {/* As in the wizard and the credentials dialog: CLI output or a profile pasted here fills the fields. */}
        {(values.method === 'access_key' || values.method === 'temporary') && (
          <PasteCredentialsBox onFill={(pasted) => fillFromPaste(form.setValue, pasted)} />
        )}
        <CredentialFields
          {...fieldProps}
          saved={{ hasSecret: destination.config.has_secret, hasToken: destination.config.has_token }}
          onUseTemporary={() => {
            form.setValue('method', 'temporary', { shouldDirty: true });
            form.clearErrors('key');
            window.setTimeout(() => form.setFocus('token'), 0);
          }}
        />
        {failure && (
          <Notice tone="error" as="div" role="alert">
            <p>{failure.message}</p>
            {failure.stale && <Button onClick={() => void reload()}>Reload the saved connector</Button>}
          </Notice>
        )}
        <div className="wizard-actions">
          <ButtonLink to={`/destinations/${destination.id}`}>Cancel</ButtonLink>
          <span className="spacer" />
          <Button type="submit" value="save" disabled={formState.isSubmitting}>
            {formState.isSubmitting && submitter === 'save' ? 'Saving…' : 'Save changes'}
          </Button>
          <Button type="submit" variant="primary" value="test" disabled={formState.isSubmitting}>
            {formState.isSubmitting && submitter === 'test' ? 'Saving and testing…' : 'Save and Test'}
          </Button>
        </div>
      </form>
    </section>
  );
}
