import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { ConnectionCheck } from '#shared/check-schemas';
import { createConnectorFormSchema, type ConnectorFormValues } from '#shared/connector-form';
import type { Destination } from '#shared/destination-schemas';
import { ApiError, api } from '#client/lib/api-client.ts';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { destinationsQueryOptions } from '../api/get-destinations.ts';
import { useUpdateDestination } from '../api/update-destination.ts';
import { LiveCheckResults } from './check-results.tsx';
import { CredentialFields } from './connector-fields.tsx';
import { applyServerErrors, fillFromPaste, useConfigWarnings, useTouchedValidation, valuesOf } from './form-support.ts';
import { PasteCredentialsBox } from './paste-credentials-box.tsx';
import './update-credentials-dialog.css';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

type Props = {
  destination: Destination;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Said by the page the dialog closes onto: what was saved. */
  onSaved?: (message: string) => void;
};

/**
 * Replaces the AWS Key, AWS Secret Key, STS Token and expiry, and nothing else. "Test and save": the new
 * credentials are checked merged with the saved config on the server first, and saved (with that check) only when
 * it passes — or on "Save anyway". The old secret is never shown.
 */
export default function UpdateCredentialsDialog({ destination, open, onOpenChange, onSaved }: Props) {
  const queryClient = useQueryClient();
  const saved = useMemo(() => ({ config: destination.config }), [destination]);
  const initialMethod = destination.credentials.method === 'temporary' ? 'temporary' : 'access_key';
  const schema = useMemo(() => createConnectorFormSchema({ allowAmbientCredentials: false, saved }), [saved]);
  const form = useForm<ConnectorFormValues>({
    resolver: zodResolver(schema),
    mode: 'onSubmit',
    defaultValues: { ...valuesOf(destination), method: initialMethod, key: '', secret: '', token: '', token_expires_at: '' },
  });
  const { handleSubmit, control, setValue, setError, formState } = form;
  const register = useTouchedValidation(form);
  const values = useWatch({ control }) as ConnectorFormValues;
  const warnings = useConfigWarnings(values);
  const update = useUpdateDestination();
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const credentials = (v: ConnectorFormValues) => ({
    key: v.key.trim(),
    secret: v.secret,
    token: v.method === 'temporary' ? v.token : null,
    token_expires_at: v.method === 'temporary' && v.token_expires_at.trim() !== '' ? v.token_expires_at : null,
  });

  const save = async (checkId: string | null) => {
    setFailure(null);
    try {
      await update.mutateAsync({
        id: destination.id,
        version: destination.version,
        changes: { config: credentials(form.getValues()), ...(checkId ? { connection_check_id: checkId } : {}) },
      });
      await queryClient.invalidateQueries({ queryKey: destinationsQueryOptions().queryKey });
      onSaved?.(
        checkId
          ? `New credentials of “${destination.name}” tested and saved.`
          : `New credentials of “${destination.name}” saved without a passing check.`,
      );
      onOpenChange(false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        return setFailure('This connector was changed elsewhere since you opened it: close this dialog, reload, and try again.');
      }
      if (error instanceof ApiError && applyServerErrors(error, setError, form.getValues()).length > 0) return;
      setFailure((error as Error).message);
    }
  };

  const testAndSave = handleSubmit(async (v) => {
    if (v.secret.trim() === '') return setError('secret', { message: 'Enter the new AWS Secret Key' }, { shouldFocus: true });
    setFailure(null);
    setCheck(null);
    try {
      setCheck(
        await api<ConnectionCheck>('/api/v1/connection-checks', {
          method: 'POST',
          body: { destination_id: destination.id, config: credentials(v) },
        }),
      );
    } catch (error) {
      if (error instanceof ApiError && applyServerErrors(error, setError, form.getValues()).length > 0) return;
      setFailure((error as Error).message);
    }
  });

  const onFinished = (finished: ConnectionCheck) => {
    setCheck(finished);
    if (finished.status === 'SUCCESS') void save(finished.id);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Update credentials of “${destination.name}”`}
      description="Only the AWS Key, AWS Secret Key, STS Token and expiry change here. They are tested before they are saved."
    >
      <form onSubmit={(e) => void testAndSave(e)} noValidate className="dialog-form">
        <PasteCredentialsBox
          onFill={(pasted) => {
            fillFromPaste(setValue, pasted);
            setCheck(null);
          }}
        />
        <fieldset className="choices choices-inline">
          <legend>Authentication method</legend>
          <label className="choice">
            <input type="radio" value="access_key" {...register('method')} /> Access key
          </label>
          <label className="choice">
            <input type="radio" value="temporary" {...register('method')} /> Temporary STS credentials
          </label>
        </fieldset>
        <CredentialFields
          register={register}
          errors={formState.errors}
          warnings={warnings}
          values={values}
          onUseTemporary={() => {
            setValue('method', 'temporary', { shouldDirty: true });
            form.clearErrors('key');
            window.setTimeout(() => form.setFocus('token'), 0);
          }}
        />
        {failure && (
          <Notice tone="error" role="alert">
            {failure}
          </Notice>
        )}
        {check && (
          <div className="dialog-check">
            <LiveCheckResults key={check.id} initial={check} remoteUrl={destination.config.remote_url} onFinished={onFinished} />
          </div>
        )}
        <DialogActions>
          {check?.status === 'FAILURE' ? (
            <Button onClick={() => void save(null)} disabled={update.isPending}>
              Save anyway
            </Button>
          ) : null}
          <Button type="submit" variant="primary" disabled={formState.isSubmitting || update.isPending}>
            {update.isPending ? 'Saving…' : 'Test and save'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
