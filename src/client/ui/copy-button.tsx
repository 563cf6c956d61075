import { useState } from 'react';
import './copy-button.css';
import { Button } from './button.tsx';

/** Copies `text`; says so for a moment (announced politely). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    window.setTimeout(() => setCopied(null), 2_000);
  };
  return (
    <span className="copy">
      <Button size="small" onClick={() => void copy()}>
        {label}
      </Button>
      <span role="status" className="copy-status">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text instead' : ''}
      </span>
    </span>
  );
}
