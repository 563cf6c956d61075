import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import type { ConnectionCheck } from '#shared/check-schemas';
import { createConnectorFormSchema, EMPTY_FORM, formToDraft, type ConnectorFormField, type ConnectorFormValues } from '#shared/connector-form';
import { ApiError, NetworkError } from '#client/lib/api-client.ts';
import { Link, navigate, useLeaveGuard, useLocation } from '#client/lib/router.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { useCheckUnsavedConfig } from '../../api/check-unsaved-config.ts';
import { useCreateDestination } from '../../api/create-destination.ts';
import { findDestinationByName } from '../../api/find-destination-by-name.ts';
import { startConnectionCheck } from '../../api/start-connection-check.ts';
import { LiveCheckResults } from '../check-results.tsx';
import type { CheckOptions } from '#shared/s3-config';
import { BucketFields, CredentialFields, MethodField, NameField, ProviderField } from '../connector-fields.tsx';
import { RoleFields } from '../role-fields.tsx';
import { applyServerErrors, fillFromImport, fillFromPaste, useConfigWarnings, useTouchedValidation } from '../form-support.ts';
import { PasteCredentialsBox } from '../paste-credentials-box.tsx';
import { ReviewStep } from './review-step.tsx';
import './new-connector-wizard.css';
import { Button, ButtonLink } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const STEPS: { title: string; slug: string; fields: ConnectorFormField[] }[] = [
  { title: 'Connector', slug: 'connector', fields: ['name', 'provider'] },
  { title: 'Bucket', slug: 'bucket', fields: ['remote_url', 'endpoint_url', 'region'] },
  { title: 'Authentication', slug: 'authentication', fields: ['method', 'key', 'secret', 'token', 'token_expires_at', 'role_arn'] },
  { title: 'Review', slug: 'review', fields: [] },
];
/** The wizard's address at a step: the step is in the URL, so the browser's Back and Forward move between steps. */
const stepUrl = (index: number) => (index === 0 ? '/destinations/new' : `/destinations/new?step=${STEPS[index]?.slug ?? ''}`);
const stepOfField = (field: string) =>
  Math.max(
    0,
    STEPS.findIndex((s) => s.fields.includes(field as ConnectorFormField)),
  );

export function NewConnectorWizard({ checkOptions }: { checkOptions: CheckOptions }) {
  const schema = useMemo(() => createConnectorFormSchema(checkOptions), [checkOptions]);
  const form = useForm<ConnectorFormValues>({ resolver: zodResolver(schema), mode: 'onSubmit', defaultValues: EMPTY_FORM });
  const { handleSubmit, trigger, control, setValue, setError, setFocus, getValues, formState } = form;
  const register = useTouchedValidation(form);
  const values = useWatch({ control }) as ConnectorFormValues;
  const warnings = useConfigWarnings(values);
  // The step the URL names, but never past the furthest one reached with valid input: a reload (the form is gone:
  // nothing typed is kept in the browser) or a typed address starts at the first step.
  const { search } = useLocation();
  const [reached, setReached] = useState(0);
  const wanted = Math.max(
    0,
    STEPS.findIndex((s) => s.slug === (search.get('step') ?? 'connector')),
  );
  const step = Math.min(wanted, reached);
  useEffect(() => {
    if (wanted !== step) navigate(stepUrl(step), { replace: true });
  }, [wanted, step]);
  const setStep = (index: number) => {
    setReached((furthest) => Math.max(furthest, index));
    navigate(stepUrl(index));
  };
  const [failure, setFailure] = useState<string | null>(null);
  const [testCheck, setTestCheck] = useState<ConnectionCheck | null>(null);
  const create = useCreateDestination();
  const testUnsaved = useCheckUnsavedConfig();
  const stepHeading = useRef<HTMLHeadingElement>(null);

  useLeaveGuard(formState.isDirty ? 'Leave without saving? What you typed in this connector will be lost.' : null);
  useEffect(() => {
    if (step > 0) stepHeading.current?.focus();
  }, [step]);

  /** Moves to the first step with an error and focuses its first invalid field. */
  const showErrors = (errors: FieldErrors<ConnectorFormValues>) => {
    const first = STEPS.flatMap((s) => s.fields).find((field) => errors[field]);
    if (!first) return;
    setStep(stepOfField(first));
    window.setTimeout(() => setFocus(first), 0);
  };

  // A temporary key typed under "Access key": one click to the method it needs, then on to its STS Token.
  const useTemporary = () => {
    setValue('method', 'temporary', { shouldDirty: true });
    form.clearErrors('key');
    window.setTimeout(() => setFocus('token'), 0);
  };

  // A name already in use is said on leaving the field (and keeps Next from moving on), not at the save three steps on.
  const [takenName, setTakenName] = useState<string | null>(null);
  const takenMessage = (name: string) => `A destination named “${name}” already exists; choose another name`;
  const checkName = async (name: string) => {
    const wanted = name.trim();
    if (!wanted) return;
    try {
      const found = await findDestinationByName(wanted);
      setTakenName(found ? wanted.toLowerCase() : null);
      if (found) setError('name', { message: takenMessage(found.name) });
    } catch {
      // Unknown now: the save will say it if it is taken.
    }
  };

  const next = async () => {
    const fields = STEPS[step]?.fields ?? [];
    if (step === 0 && takenName !== null && getValues('name').trim().toLowerCase() === takenName) {
      setError('name', { message: takenMessage(getValues('name').trim()) });
      return window.setTimeout(() => setFocus('name'), 0);
    }
    if (await trigger(fields)) return setStep(Math.min(step + 1, STEPS.length - 1));
    // The first invalid field of this step, in the order they are shown (from the schema itself: the form's error
    // state may still be settling from the blur that the click on Next caused).
    const result = schema.safeParse(getValues());
    const invalid = new Set(result.success ? [] : result.error.issues.map((issue) => String(issue.path[0])));
    const first = fields.find((field) => invalid.has(field));
    if (first) window.setTimeout(() => setFocus(first), 0);
  };

  const explain = (error: unknown) => {
    if (error instanceof NetworkError) return setFailure(`${error.message} Everything you typed is still here.`);
    if (error instanceof ApiError) {
      const fields = applyServerErrors(error, setError, getValues());
      if (fields.length > 0) {
        setStep(stepOfField(fields[0] as string));
        window.setTimeout(() => setFocus(fields[0] as ConnectorFormField), 0);
        return setFailure(null);
      }
      return setFailure(error.message);
    }
    setFailure('Something went wrong; everything you typed is still here.');
  };

  const saveAndTest = handleSubmit(async (v) => {
    setFailure(null);
    try {
      const destination = await create.mutateAsync({ name: v.name, type: 's3', config: formToDraft(v) });
      const check = await startConnectionCheck(destination.id).catch(() => null);
      navigate(`/destinations/${destination.id}${check ? `?check=${check.id}` : ''}`, { force: true });
    } catch (error) {
      explain(error);
    }
  }, showErrors);

  const test = handleSubmit(async (v) => {
    setFailure(null);
    try {
      setTestCheck(await testUnsaved.mutateAsync(formToDraft(v)));
      // The results appear below the review, often below the fold: focus (and so the view) goes to them.
      window.setTimeout(() => document.getElementById('wizard-test-title')?.focus(), 0);
    } catch (error) {
      explain(error);
    }
  }, showErrors);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    // Enter advances; on the last step it saves.
    if (step < STEPS.length - 1) void next();
    else void saveAndTest();
  };

  const fieldProps = { register, errors: formState.errors, warnings, values };
  const current = STEPS[step] as (typeof STEPS)[number];
  return (
    <section className="wizard" aria-labelledby="wizard-title">
      <PageHeading title="New connector" id="wizard-title" />
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s.title} className={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            {i < step ? (
              // A step done is a way back to it.
              <Link to={stepUrl(i)} className="stepper-link">
                <span className="stepper-number" aria-hidden="true">
                  ✓
                </span>
                {s.title}
                <span className="visually-hidden"> (done)</span>
              </Link>
            ) : (
              <>
                <span className="stepper-number" aria-hidden="true">
                  {i + 1}
                </span>
                {s.title}
              </>
            )}
          </li>
        ))}
      </ol>
      <form className="card wizard-card" onSubmit={onSubmit} noValidate aria-labelledby="wizard-step-title">
        <h2 id="wizard-step-title" ref={stepHeading} tabIndex={-1}>
          Step {step + 1} of {STEPS.length}: {current.title}
        </h2>
        {step === 0 && (
          <>
            <NameField {...fieldProps} onLeave={(name) => void checkName(name)} />
            <ProviderField {...fieldProps} setValue={setValue} />
          </>
        )}
        {step === 1 && <BucketFields {...fieldProps} />}
        {step === 2 && (
          <>
            <MethodField {...fieldProps} options={checkOptions} />
            {values.method === 'iam_role' && <RoleFields {...fieldProps} setValue={setValue} />}
            {(values.method === 'access_key' || values.method === 'temporary') && (
              <PasteCredentialsBox
                onFill={(pasted) => fillFromPaste(setValue, pasted)}
                onImport={(imported) => {
                  fillFromImport(setValue, imported);
                  // The secret Unstructured masked is the one thing left: the cursor goes there.
                  if (!imported.anonymous && imported.key !== null && imported.secret === null) window.setTimeout(() => setFocus('secret'), 0);
                }}
              />
            )}
            <CredentialFields {...fieldProps} onUseTemporary={useTemporary} />
          </>
        )}
        {step === 3 && <ReviewStep values={values} warnings={warnings} />}

        {failure && (
          <Notice tone="error" as="div" role="alert">
            <p>{failure}</p>
            {step === STEPS.length - 1 && <Button onClick={() => void saveAndTest()}>Retry</Button>}
          </Notice>
        )}

        <div className="wizard-actions">
          {step > 0 && <Button onClick={() => setStep(step - 1)}>Back</Button>}
          {/* Leaving asks first when anything was typed (the leave guard). */}
          <ButtonLink to="/destinations" variant="quiet">
            Cancel
          </ButtonLink>
          <span className="spacer" />
          {step < STEPS.length - 1 ? (
            <Button type="submit" variant="primary">
              Next
            </Button>
          ) : (
            <>
              <Button onClick={() => void test()} disabled={testUnsaved.isPending}>
                {testUnsaved.isPending ? 'Starting test…' : 'Test'}
              </Button>
              <Button type="submit" variant="primary" disabled={formState.isSubmitting}>
                {formState.isSubmitting ? 'Saving…' : 'Save and Test'}
              </Button>
            </>
          )}
        </div>
        {step === STEPS.length - 1 && testCheck && (
          <div className="wizard-test">
            <h3 id="wizard-test-title" tabIndex={-1}>
              Test of the unsaved connector
            </h3>
            <LiveCheckResults key={testCheck.id} initial={testCheck} remoteUrl={values.remote_url} />
          </div>
        )}
      </form>
    </section>
  );
}
