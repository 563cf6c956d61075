import { USER_ROLE_LABELS } from '#shared/user-schemas';
import { useSession } from '#client/lib/session.ts';
import { PageHeading } from '#client/ui/page-heading.tsx';
import { SessionsTable } from '#client/ui/sessions-table.tsx';

/** Who you are here, what your role lets you do, and where you are signed in (end what you do not recognise). */
export function AccountScreen() {
  const user = useSession().data?.user;
  if (!user) return null;
  return (
    <section aria-labelledby="account-heading">
      <div className="page-header">
        <PageHeading title="Your account" id="account-heading" />
      </div>
      <dl className="card account-facts">
        <dt>E-mail</dt>
        <dd>{user.email}</dd>
        {user.name && (
          <>
            <dt>Name</dt>
            <dd>{user.name}</dd>
          </>
        )}
        <dt>Role</dt>
        <dd>
          {USER_ROLE_LABELS[user.role].label}: {USER_ROLE_LABELS[user.role].description}
        </dd>
      </dl>
      <h2 className="section-heading">Where you are signed in</h2>
      <p className="muted">Each session is a browser signed in as you. End any you do not recognise; a new password ends them all.</p>
      <SessionsTable caption="Your sessions" />
    </section>
  );
}
