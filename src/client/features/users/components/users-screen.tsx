import { lazy, Suspense, useId, useState } from 'react';
import { USER_ROLE_LABELS, USER_ROLES, type User, type UserRole } from '#shared/user-schemas';
import { Dialog, DialogActions } from '#client/ui/dialog.tsx';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { SessionsTable } from '#client/ui/sessions-table.tsx';
import { When } from '#client/ui/when.tsx';
import { ErrorState, LoadingState } from '#client/ui/status-message.tsx';
import { useDialogTarget } from '#client/ui/use-dialog-target.ts';
import { useNow } from '#client/ui/use-now.ts';
import { useSession } from '#client/lib/session.ts';
import { useChangeRole, useSetActive, useSetPasswordSignIn, useUsers } from '../api/users.ts';
import './users.css';
import { DataTable } from '#client/ui/data-table.tsx';
import { Badge } from '#client/ui/badge.tsx';
import { Button } from '#client/ui/button.tsx';
import { Notice } from '#client/ui/notice.tsx';

const InviteUserDialog = lazy(() => import('./user-link-dialogs.tsx'));
const NewLinkDialog = lazy(() => import('./user-link-dialogs.tsx').then((m) => ({ default: m.NewLinkDialog })));

const STATE_BADGE = { active: ['ok', 'Active'], invited: ['warning', 'Invited'], deactivated: ['neutral', 'Deactivated'] } as const;

/** "an Editor", "a Viewer". */
const aRole = (role: UserRole) => `${/^[AEIOU]/.test(USER_ROLE_LABELS[role].label) ? 'an' : 'a'} ${USER_ROLE_LABELS[role].label}`;
/** Roles from least to most: a change up gives rights, a change down takes them. */
const ROLE_RANK: Record<UserRole, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * A person's role: choosing another asks first (a promotion gives rights at once, a demotion takes them), and says
 * when it is done. Escape or Cancel leaves the role as it was.
 */
function RoleSelect({ user, self }: { user: User; self: boolean }) {
  const change = useChangeRole();
  const errorId = useId();
  const [wanted, setWanted] = useState<UserRole | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const close = () => {
    setWanted(null);
    change.reset();
  };
  const confirm = (role: UserRole) =>
    change.mutate({ id: user.id, role }, { onSuccess: () => (setWanted(null), setDone(`${user.email} is now ${aRole(role)}.`)) });
  return (
    <>
      <select
        aria-label={`Role of ${user.email}`}
        value={wanted ?? user.role}
        disabled={change.isPending || user.state === 'deactivated'}
        onChange={(event) => {
          setDone(null);
          setWanted(event.target.value as UserRole);
        }}
      >
        {USER_ROLES.map((role) => (
          <option key={role} value={role}>
            {USER_ROLE_LABELS[role].label}
            {self && role === user.role ? ' (you)' : ''}
          </option>
        ))}
      </select>
      {done && (
        <p className="small muted" role="status">
          {done}
        </p>
      )}
      {wanted && (
        <Dialog
          open
          onOpenChange={(open) => !open && close()}
          title={`Make ${user.email} ${aRole(wanted)}?`}
          description={
            <>
              {USER_ROLE_LABELS[wanted].label}: {USER_ROLE_LABELS[wanted].description}{' '}
              {ROLE_RANK[wanted] > ROLE_RANK[user.role]
                ? 'They have these rights as soon as you confirm.'
                : `They lose what ${USER_ROLE_LABELS[user.role].label} allows beyond that as soon as you confirm${self ? ' — this is your own role' : ''}.`}
            </>
          }
        >
          {change.isError && (
            <Notice id={errorId} tone="error" role="alert">
              Couldn't change the role: {change.error.message}
            </Notice>
          )}
          <DialogActions>
            <Button variant="primary" disabled={change.isPending} onClick={() => confirm(wanted)}>
              {change.isPending ? 'Changing…' : `Make ${USER_ROLE_LABELS[wanted].label}`}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}

function DeactivateDialog({ user, open, onOpenChange }: { user: User; open: boolean; onOpenChange: (open: boolean) => void }) {
  const setActive = useSetActive();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Deactivate ${user.email}?`}
      description="They are signed out everywhere at once, their API keys are revoked and their links stop working. What they did stays in the activity log. You can reactivate them later; their keys stay revoked."
    >
      {setActive.isError && (
        <Notice tone="error" role="alert">
          Couldn't deactivate: {setActive.error.message}
        </Notice>
      )}
      <DialogActions>
        <Button
          variant="danger"
          disabled={setActive.isPending}
          onClick={() => setActive.mutate({ id: user.id, active: false }, { onSuccess: () => onOpenChange(false) })}
        >
          {setActive.isPending ? 'Deactivating…' : 'Deactivate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Single sign-on's one setting here: whether the password form is offered beside it. Shown when it is set up. */
function SignInSettings() {
  const signIn = useSession().data?.sign_in;
  const change = useSetPasswordSignIn();
  // The choice shows at once, in the render the click causes: the mutation's own state arrives a moment later, and
  // until then the controlled box would be put back as it was (a click seen to change nothing).
  const [wanted, setWanted] = useState<boolean | null>(null);
  if (!signIn?.oidc) return null;
  const on = wanted ?? signIn.password;
  const choose = (next: boolean) => {
    setWanted(next);
    change.mutate(next, { onSettled: () => setWanted(null) });
  };
  return (
    <section className="card sign-in-settings" aria-labelledby="sign-in-settings-heading">
      <h2 id="sign-in-settings-heading">Sign-in</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={on}
          disabled={change.isPending}
          onChange={(event) => choose(event.target.checked)}
          aria-describedby="password-sign-in-help"
        />
        Offer password sign-in beside “Sign in with {signIn.oidc.name}”
      </label>
      <p id="password-sign-in-help" className="field-hint">
        Off, everyone signs in through {signIn.oidc.name}; people without an account there get one with the role their groups give. Whoever runs the
        server can turn it on again with <code>npm run set-password</code>.
      </p>
      {change.isError && (
        <Notice tone="error" role="alert">
          Couldn't change it: {change.error.message}
        </Notice>
      )}
    </section>
  );
}

/** People and roles: invite by a one-time link, change a role, deactivate, send a new link. Admins only. */
export function UsersScreen() {
  const users = useUsers();
  const me = useSession().data?.user.id;
  const now = useNow(60_000);
  const reactivate = useSetActive();
  const [inviteOpen, setInviteOpen] = useState(false);
  // Mounted once opened, so closing returns focus to the button that opened it.
  const linkFor = useDialogTarget<User>();
  const deactivating = useDialogTarget<User>();
  const sessionsOf = useDialogTarget<User>();

  return (
    <section aria-labelledby="users-heading">
      <div className="page-header">
        <PageHeading title="Users" id="users-heading" />
        <Button variant="primary" onClick={() => setInviteOpen(true)}>
          Invite someone
        </Button>
      </div>
      <p className="page-intro muted">A change of role applies from the person's next click.</p>
      <details className="role-summary">
        <summary>What each role may do</summary>
        <dl>
          {USER_ROLES.map((role) => (
            <div key={role}>
              <dt>{USER_ROLE_LABELS[role].label}</dt>
              <dd>{USER_ROLE_LABELS[role].description}</dd>
            </div>
          ))}
        </dl>
      </details>
      {reactivate.isError && (
        <Notice tone="error" role="alert">
          Couldn't reactivate: {reactivate.error.message}
        </Notice>
      )}
      {users.isPending && <LoadingState label="Loading users…" />}
      {users.isError && <ErrorState title="Couldn't load the users" message={users.error.message} onRetry={() => void users.refetch()} />}
      {users.data && (
        <DataTable
          caption="Users, active first"
          className="users"
          rows={users.data}
          rowKey={(user) => user.id}
          columns={[
            {
              label: 'User',
              rowHeader: true,
              cell: (user) => (
                <>
                  <span className="user-email">{user.email}</span>
                  {user.name && <span className="muted user-name">{user.name}</span>}
                </>
              ),
            },
            { label: 'Role', cell: (user) => <RoleSelect user={user} self={user.id === me} /> },
            {
              label: 'Status',
              cell: (user) => {
                const [tone, label] = STATE_BADGE[user.state];
                return <Badge tone={tone}>{label}</Badge>;
              },
            },
            { label: 'Added', cell: (user) => <When at={user.created_at} now={now} /> },
            {
              label: 'Actions',
              actions: true,
              cell: (user) => {
                const self = user.id === me;
                return (
                  <>
                    {user.state === 'deactivated' ? (
                      <Button
                        size="small"
                        disabled={reactivate.isPending}
                        onClick={() => reactivate.mutate({ id: user.id, active: true })}
                        aria-label={`Reactivate ${user.email}`}
                      >
                        Reactivate
                      </Button>
                    ) : (
                      <>
                        <Button
                          size="small"
                          onClick={() => {
                            linkFor.show(user);
                          }}
                          aria-label={`${user.state === 'invited' ? 'New invitation link for' : 'Reset the password of'} ${user.email}`}
                        >
                          {user.state === 'invited' ? 'New invitation link' : 'Reset password'}
                        </Button>
                        {user.state === 'active' && (
                          <Button
                            size="small"
                            onClick={() => {
                              sessionsOf.show(user);
                            }}
                            aria-label={`Sessions of ${user.email}`}
                          >
                            Sessions
                          </Button>
                        )}
                        {!self && (
                          <Button
                            size="small"
                            variant="danger-quiet"
                            onClick={() => {
                              deactivating.show(user);
                            }}
                            aria-label={`Deactivate ${user.email}`}
                          >
                            Deactivate
                          </Button>
                        )}
                      </>
                    )}
                  </>
                );
              },
            },
          ]}
        />
      )}
      <Suspense fallback={null}>
        {inviteOpen && <InviteUserDialog open={inviteOpen} onOpenChange={setInviteOpen} />}
        {linkFor.target && <NewLinkDialog key={linkFor.target.id} user={linkFor.target} open={linkFor.open} onOpenChange={linkFor.setOpen} />}
      </Suspense>
      {sessionsOf.target && (
        <Dialog key={sessionsOf.target.id} open={sessionsOf.open} onOpenChange={sessionsOf.setOpen} title={`Sessions of ${sessionsOf.target.email}`}>
          <SessionsTable user={sessionsOf.target.id} caption={`Sessions of ${sessionsOf.target.email}`} />
        </Dialog>
      )}
      <SignInSettings />
      {deactivating.target && (
        <DeactivateDialog key={deactivating.target.id} user={deactivating.target} open={deactivating.open} onOpenChange={deactivating.setOpen} />
      )}
    </section>
  );
}
