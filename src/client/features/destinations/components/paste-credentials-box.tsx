import { useId, useState } from 'react';
import { parsePastedCredentials, PASTE_FORMAT_LABEL, type PastedCredentials } from '#shared/paste-credentials';
import { describeImport, readUnstructuredDestination, type ImportedDestination } from '#shared/unstructured-import';
import { formatWhen, relativeTime } from '#client/ui/relative-time.ts';
import './paste-credentials-box.css';

/** What a paste filled in, in one line: "Filled key, secret and token; expires 14:32, in 58 minutes". */
export function describeFill(value: PastedCredentials, now: number): string {
  const filled = `Filled key, secret${value.token ? ' and token' : ''}`;
  const expiry = value.expiresAt ? `; expires ${formatWhen(value.expiresAt)}, ${relativeTime(value.expiresAt, now)}` : '';
  return `${filled}${expiry} (from ${PASTE_FORMAT_LABEL[value.format]}).`;
}

/** An Unstructured destination in a paste, or null when the paste is something else (credentials, or not JSON). */
function importedFrom(pasted: string) {
  const trimmed = pasted.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    return readUnstructuredDestination(JSON.parse(trimmed));
  } catch {
    return null;
  }
}

/**
 * A box to paste CLI output or a credentials profile into: read here, in the browser, then cleared. What it finds
 * fills the fields; the pasted text itself goes nowhere.
 */
export function PasteCredentialsBox({
  onFill,
  onImport,
}: {
  onFill: (value: PastedCredentials) => void;
  /** Also take an Unstructured s3 destination (its JSON, as their API or SDK returns it): the wizard's import. */
  onImport?: (value: ImportedDestination) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const read = (pasted: string) => {
    setText(pasted);
    if (pasted.trim() === '') return setOutcome(null);
    const imported = onImport ? importedFrom(pasted) : null;
    if (imported) {
      if (!imported.ok) return setOutcome({ ok: false, message: imported.message });
      onImport?.(imported.value);
      setText('');
      return setOutcome({ ok: true, message: describeImport(imported.value) });
    }
    const result = parsePastedCredentials(pasted);
    if (!result.ok) return setOutcome({ ok: false, message: result.message });
    onFill(result.value);
    setText('');
    setOutcome({ ok: true, message: describeFill(result.value, Date.now()) });
  };
  return (
    <div className="field paste-box">
      <label htmlFor={id}>Paste credentials (optional)</label>
      <textarea
        id={id}
        rows={3}
        value={text}
        onChange={(event) => read(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        className="secret-text"
        aria-describedby={`${id}-hint ${id}-outcome`}
        aria-invalid={outcome && !outcome.ok ? true : undefined}
        placeholder="aws sts assume-role … output, export-credentials output, or a credentials profile"
      />
      <p id={`${id}-outcome`} role="status" className={outcome?.ok === false ? 'field-error' : 'field-ok'}>
        {outcome?.message ?? ''}
      </p>
      <p id={`${id}-hint`} className="field-hint">
        Read here in your browser to fill AWS Key, AWS Secret Key, STS Token and the expiry
        {onImport ? ' — or paste an Unstructured s3 destination (JSON) to fill the whole connector' : ''}; the pasted text is not kept or sent.
      </p>
    </div>
  );
}
