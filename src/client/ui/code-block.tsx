import { useId } from 'react';
import { CopyButton } from './copy-button.tsx';
import './code-block.css';

/** Text to copy into a terminal or an editor: named, scrollable on its own (never the page), with a Copy button. */
export function CodeBlock({ title, code }: { title: string; code: string }) {
  const id = useId();
  return (
    <figure className="code-block" aria-labelledby={id}>
      <figcaption>
        <span id={id}>{title}</span>
        <CopyButton text={code} label={`Copy ${title}`} />
      </figcaption>
      <pre tabIndex={0} aria-labelledby={id}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
