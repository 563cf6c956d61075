import { lazy, Suspense, useState } from 'react';
import { API_KEY_ROLE_LABELS, apiKeyState, type ApiKey } from '#shared/api-key-schemas';
import { API_KEY_VARIABLE, curlListDestinations, pythonListDestinations } from '#client/lib/api-snippets.ts';
import { CodeBlock } from '#client/ui/code-block.tsx';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { onServerClock } from '#client/lib/server-clock.ts';
import { useDialogTarget } from '#client/ui/use-dialog-target.ts';
import { When } from '#client/ui/when.tsx';
import { EmptyState, ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { useNow } from '#client/ui/use-now.ts';
import { useApiKeys, useRevokeApiKey } from '../api/api-keys.ts';
import './api-keys.css';
import { DataTable } from '#client/ui/data-table.tsx';
import { Badge } from '#client/ui/badge.tsx';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const CreateApiKeyDialog = lazy(() => import('./create-api-key-dialog.tsx'));

const STATE_BADGE = { active: ['ok', 'Active'], expired: ['danger', 'Expired'], revoked: ['neutral', 'Revoked'] } as const;

function RevokeDialog({ apiKey, open, onOpenChange }: { apiKey: ApiKey; open: boolean; onOpenChange: (open: boolean) => void }) {
  const revoke = useRevokeApiKey();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Revoke “${apiKey.name}”?`}
      description="Every request with this key is refused from now on, on every instance of this app. This cannot be undone: a script that still needs access needs a new key."
    >
      {revoke.isError && (
        <Notice tone="error" role="alert">
          Couldn't revoke the key: {revoke.error.message}
        </Notice>
      )}
      <DialogActions>
        <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(apiKey.id, { onSuccess: () => onOpenChange(false) })}>
          {revoke.isPending ? 'Revoking…' : 'Revoke key'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** How a script uses a key: with curl, and with Unstructured's own Python SDK pointed at this server. */
function KeyUsage() {
  const origin = window.location.origin;
  return (
    <section aria-labelledby="key-usage-heading" className="card key-usage">
      <h2 id="key-usage-heading">Use a key</h2>
      <p>
        Send the key in the <code>unstructured-api-key</code> header, as Unstructured's SDK does, or as <code>Authorization: Bearer</code>. The API
        follows Unstructured's destination shapes, so scripts written for Unstructured work here: point them at <code>{origin}</code>. Keep the key
        out of the script itself: these examples read it from <code>{API_KEY_VARIABLE}</code>.
      </p>
      <CodeBlock title="curl" code={curlListDestinations(origin)} />
      <CodeBlock title="Python (unstructured-client)" code={pythonListDestinations(origin)} />
    </section>
  );
}

export function ApiKeysScreen() {
  const keys = useApiKeys();
  const now = useNow(30_000);
  const [createOpen, setCreateOpen] = useState(false);
  // Mounted once opened, so closing returns focus to the Revoke button that opened it.
  const revoking = useDialogTarget<ApiKey>();

  return (
    <section aria-labelledby="api-keys-heading">
      <div className="page-header">
        <PageHeading title="API keys" id="api-keys-heading" />
        <Button variant="primary" onClick={() => setCreateOpen(true)}>
          New API key
        </Button>
      </div>
      <p className="page-intro muted">
        Scripts and pipelines authenticate with a key instead of a password. A viewer key reads; an editor key also creates, changes, tests and
        deletes destinations. A key never does more than the person who made it can now. Only a hash of each key is kept.
      </p>
      {keys.isPending && <LoadingState label="Loading API keys…" />}
      {keys.isError && <ErrorState title="Couldn't load the API keys" message={keys.error.message} onRetry={() => void keys.refetch()} />}
      {keys.data?.length === 0 && (
        <EmptyState title="No API keys yet">
          <p>Create one for each script or pipeline, so that each can be revoked on its own.</p>
        </EmptyState>
      )}
      {keys.data && keys.data.length > 0 && (
        <DataTable
          caption="API keys, those in use first"
          className="api-keys"
          rows={keys.data}
          rowKey={(key) => key.id}
          columns={[
            { label: 'Name', rowHeader: true, cell: (key) => key.name },
            { label: 'Key', cell: (key) => <code>{key.prefix}…</code> },
            { label: 'Role', cell: (key) => API_KEY_ROLE_LABELS[key.role].label },
            { label: 'Created', cell: (key) => <When at={key.created_at} now={now} never="" /> },
            { label: 'Last used', cell: (key) => <When at={key.last_used_at} now={now} never="Never used" /> },
            { label: 'Expires', cell: (key) => <When at={key.expires_at} now={now} never="Never" expiry /> },
            {
              label: 'Status',
              cell: (key) => {
                // The state moves with the clock: a key listed as active may have expired since.
                const state = apiKeyState(key, onServerClock(now));
                const [tone, label] = STATE_BADGE[state];
                return (
                  <>
                    <Badge tone={tone}>{label}</Badge>
                    {state === 'revoked' && key.revoked_at && (
                      <span className="muted">
                        {' '}
                        <When at={key.revoked_at} now={now} never="" />
                      </span>
                    )}
                  </>
                );
              },
            },
            {
              label: 'Actions',
              actions: true,
              cell: (key) =>
                apiKeyState(key, onServerClock(now)) !== 'revoked' && (
                  <Button
                    size="small"
                    variant="danger-quiet"
                    aria-label={`Revoke ${key.name}`}
                    onClick={() => {
                      revoking.show(key);
                    }}
                  >
                    Revoke
                  </Button>
                ),
            },
          ]}
        />
      )}
      <KeyUsage />
      {createOpen && (
        <Suspense fallback={null}>
          <CreateApiKeyDialog open={createOpen} onOpenChange={setCreateOpen} />
        </Suspense>
      )}
      {revoking.target && <RevokeDialog key={revoking.target.id} apiKey={revoking.target} open={revoking.open} onOpenChange={revoking.setOpen} />}
    </section>
  );
}
