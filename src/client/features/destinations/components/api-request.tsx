import { useState } from 'react';
import type { Destination } from '#shared/destination-schemas';
import { curlCreateDestination, pythonCreateDestination, secretVariables } from '#client/lib/api-snippets.ts';
import { Link } from '#client/lib/router.tsx';
import { CodeBlock } from '#client/ui/code-block.tsx';

/**
 * "Copy as API request": the curl command and the Unstructured Python SDK call that would create this destination,
 * for a script or another instance. The secrets are never in them: each is read from an environment variable.
 */
export function ApiRequest({ destination }: { destination: Destination }) {
  const origin = window.location.origin;
  const variables = secretVariables(destination);
  // Written only once opened: folded, the page holds no second copy of the config for find-in-page or a test to meet.
  const [open, setOpen] = useState(false);
  return (
    <details className="api-request" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Copy as API request</summary>
      {open && (
        <>
          <p className="muted">
            Creates a destination like this one. Nothing secret is written in: set{' '}
            {variables.map((variable, i) => (
              <span key={variable}>
                {i > 0 && (i === variables.length - 1 ? ' and ' : ', ')}
                <code>{variable}</code>
              </span>
            ))}{' '}
            first ({variables.length > 1 ? 'the AWS values are the ones this connector was saved with; ' : ''}an API key comes from{' '}
            <Link to="/api-keys">API keys</Link>). Change the name before creating a second one.
          </p>
          <CodeBlock title="curl" code={curlCreateDestination(origin, destination)} />
          <CodeBlock title="Python (unstructured-client)" code={pythonCreateDestination(origin, destination)} />
        </>
      )}
    </details>
  );
}
