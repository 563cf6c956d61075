import { useId } from 'react';
import { CopyButton } from './copy-button.tsx';
import './shown-once.css';

/**
 * A secret the server hands over once (an API key, a sign-in link), read-only with a Copy button. It lives in the
 * state of the dialog showing it and goes with it: never in the query cache or browser storage.
 */
export function ShownOnce({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId();
  return (
    <div className="shown-once">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" readOnly value={value} spellCheck={false} autoComplete="off" onFocus={(e) => e.target.select()} />
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
