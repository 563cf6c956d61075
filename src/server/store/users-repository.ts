import { parseEmail } from '#shared/email-address';
import type { Role } from '../security/route-access.ts';
import { UniqueViolationError, type Sql, type SqlDatabase } from './sql.ts';

export type UserRecord = {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
  /** The OpenID Provider subject this user is linked to (with its issuer), or null. */
  oidc_subject: string | null;
};
/** A user as made: not linked to a provider yet. */
export type NewUser = Omit<UserRecord, 'oidc_subject'>;

export type UserLinkPurpose = 'invitation' | 'password_reset';
export type UserLinkRecord = {
  token_hash: string;
  user_id: string;
  purpose: UserLinkPurpose;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

/** A link with what its page shows of the user, and whether they were deactivated since. */
type LinkWithUser = UserLinkRecord & Pick<UserRecord, 'email' | 'name' | 'deactivated_at'>;

/** Someone has this e-mail already (compared regardless of case). */
export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`A user with the e-mail "${email}" already exists`);
  }
}

/** Demoting or deactivating this user would leave nobody able to manage users. */
export class LastAdminError extends Error {
  constructor() {
    super('This is the last active admin: make someone else an admin first');
  }
}

const NEW_COLUMNS = 'id, email, name, role, password_hash, created_at, updated_at, deactivated_at';
const COLUMNS = `${NEW_COLUMNS}, oidc_subject`;

export function createUsersRepository(db: SqlDatabase) {
  const inTransaction = <T>(work: (tx: Sql) => Promise<T>) => db.transaction(work);

  /**
   * Active admins other than `id`: the last one may not be demoted or deactivated. On PostgreSQL the admin rows are
   * locked first, so two admins demoting each other at once are judged one after the other (the second sees the
   * first's change) and cannot leave nobody; SQLite's transactions already run one at a time.
   */
  const otherActiveAdmins = async (tx: Sql, id: string) => {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const admins = await tx.all<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL${lock}`);
    return admins.filter((admin) => admin.id !== id).length;
  };

  return {
    async create(user: NewUser, tx: Sql = db): Promise<void> {
      try {
        await tx.run(`INSERT INTO users (${NEW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
          user.id,
          user.email,
          user.name,
          user.role,
          user.password_hash,
          user.created_at,
          user.updated_at,
          user.deactivated_at,
        ]);
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new DuplicateEmailError(user.email);
        throw error;
      }
    },
    async find(id: string): Promise<UserRecord | null> {
      return (await db.get<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) ?? null;
    },
    /** By e-mail, as the one rule writes it (so `Ana@Bücher.example` finds `ana@xn--bcher-kva.example`), in any case. */
    async findByEmail(email: string): Promise<UserRecord | null> {
      const parsed = parseEmail(email);
      const key = parsed.ok ? parsed.email : email.trim();
      return (await db.get<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [key])) ?? null;
    },
    /** Everyone, active first, then by e-mail. */
    async list(): Promise<UserRecord[]> {
      return db.all<UserRecord>(`SELECT ${COLUMNS} FROM users ORDER BY (deactivated_at IS NULL) DESC, lower(email), id`);
    },
    async setPassword(id: string, passwordHash: string, at: string, tx: Sql = db): Promise<boolean> {
      return (await tx.run('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [passwordHash, at, id])) === 1;
    },
    /** A new role; refused (LastAdminError) when it would leave no active admin. False when there is no such user. */
    async setRole(id: string, role: Role, at: string): Promise<boolean> {
      return inTransaction(async (tx) => {
        const user = await tx.get<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
        if (!user) return false;
        if (user.role === 'admin' && role !== 'admin' && user.deactivated_at === null && (await otherActiveAdmins(tx, id)) === 0) {
          throw new LastAdminError();
        }
        await tx.run('UPDATE users SET role = $1, updated_at = $2 WHERE id = $3', [role, at, id]);
        return true;
      });
    },
    /**
     * Deactivates a user in one transaction: their sessions end, their API keys are revoked and their unused links
     * spent, so nothing they held works on any instance from the next request. Refused for the last active admin.
     */
    async deactivate(id: string, at: string): Promise<boolean> {
      return inTransaction(async (tx) => {
        const user = await tx.get<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
        if (!user) return false;
        if (user.deactivated_at !== null) return true;
        if (user.role === 'admin' && (await otherActiveAdmins(tx, id)) === 0) throw new LastAdminError();
        await tx.run('UPDATE users SET deactivated_at = $1, updated_at = $1 WHERE id = $2', [at, id]);
        // Marked, not deleted: the next request of each says the person was deactivated (sessions.ts).
        await tx.run("UPDATE sessions SET ended_reason = 'deactivated' WHERE user_id = $1 AND ended_reason IS NULL", [id]);
        await tx.run('UPDATE api_keys SET revoked_at = $1 WHERE owner = $2 AND revoked_at IS NULL', [at, id]);
        await tx.run('UPDATE user_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL', [at, id]);
        return true;
      });
    },
    /** The user an OpenID Provider's (issuer, subject) signs in, if any. */
    async findByOidc(issuer: string, subject: string): Promise<UserRecord | null> {
      return (await db.get<UserRecord>(`SELECT ${COLUMNS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject])) ?? null;
    },
    /** Links a user to an (issuer, subject); false when they are linked to another subject already. */
    async linkOidc(id: string, issuer: string, subject: string, at: string): Promise<boolean> {
      return (
        (await db.run('UPDATE users SET oidc_issuer = $1, oidc_subject = $2, updated_at = $3 WHERE id = $4 AND oidc_subject IS NULL', [
          issuer,
          subject,
          at,
          id,
        ])) === 1
      );
    },
    async reactivate(id: string, at: string): Promise<boolean> {
      return inTransaction(async (tx) => {
        // The sessions the deactivation ended stay ended: gone, so that none says "deactivated" any more.
        await tx.run('DELETE FROM sessions WHERE user_id = $1 AND ended_reason IS NOT NULL', [id]);
        return (await tx.run('UPDATE users SET deactivated_at = NULL, updated_at = $1 WHERE id = $2', [at, id])) === 1;
      });
    },

    /**
     * A new one-time link; the user's older unused links are spent in the same transaction, so one link at most
     * works for a user at any time (an admin's new reset link revokes the one sent before).
     */
    async createLink(link: UserLinkRecord): Promise<void> {
      await inTransaction(async (tx) => {
        await tx.run('UPDATE user_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL', [link.created_at, link.user_id]);
        await tx.run('INSERT INTO user_links (token_hash, user_id, purpose, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)', [
          link.token_hash,
          link.user_id,
          link.purpose,
          link.created_at,
          link.expires_at,
        ]);
      });
    },
    async findLink(tokenHash: string): Promise<LinkWithUser | null> {
      return (
        (await db.get<LinkWithUser>(
          `SELECT l.token_hash, l.user_id, l.purpose, l.created_at, l.expires_at, l.used_at, u.email, u.name, u.deactivated_at
             FROM user_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = $1`,
          [tokenHash],
        )) ?? null
      );
    },
    /**
     * Spends a link and sets the password it was for, in one transaction: of two uses at once, one wins. Every other
     * unused link of the user is spent too and their sessions end (a reset signs out whoever knew the old password).
     * False when the link was spent, expired or its user deactivated meanwhile.
     */
    async useLink(tokenHash: string, passwordHash: string, at: string): Promise<string | null> {
      return inTransaction(async (tx) => {
        const link = await tx.get<UserLinkRecord>('SELECT * FROM user_links WHERE token_hash = $1', [tokenHash]);
        if (!link || link.used_at !== null || link.expires_at <= at) return null;
        const spent = await tx.run(
          `UPDATE user_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL
             AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND deactivated_at IS NULL)`,
          [at, link.user_id],
        );
        if (spent === 0) return null;
        await tx.run('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [passwordHash, at, link.user_id]);
        await tx.run('DELETE FROM sessions WHERE user_id = $1', [link.user_id]);
        return link.user_id;
      });
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
