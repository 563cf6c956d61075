import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import './field.css';

/** What a field hands its control: its id, and what describes it. */
export type FieldControlProps = { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string };

type FieldProps = {
  label: string;
  error?: string | undefined;
  warning?: string | undefined;
  hint?: ReactNode;
  children: (props: FieldControlProps) => ReactNode;
};

/** A label tied to its control, with hint, error and warning announced through aria-describedby. */
export function Field({ label, error, warning, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const warningId = `${id}-warning`;
  const describedBy = [error && errorId, warning && warningId, hint && hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {warning && !error && (
        <p id={warningId} className="field-warning">
          {warning}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export type InputProps = InputHTMLAttributes<HTMLInputElement>;
