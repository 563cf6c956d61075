import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { INVITATION_DAYS, RESET_HOURS, type LinkInfo, type User, type UserInvite, type UserRole } from '#shared/user-schemas';
import type { UserLinkPurpose, UserRecord, UsersRepository } from '../store/users-repository.ts';
import { hashPassword, verifyPassword } from './password.ts';

const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');
const LINK_LIFETIME_MS: Record<UserLinkPurpose, number> = { invitation: INVITATION_DAYS * 86_400_000, password_reset: RESET_HOURS * 3_600_000 };

/** Where a one-time link leads: the token rides in the fragment, which browsers never send to a server or in a Referer. */
export const linkUrl = (publicOrigin: string, token: string) => `${publicOrigin}/set-password#${token}`;

export const toUser = (record: UserRecord): User => ({
  id: record.id,
  email: record.email,
  name: record.name,
  role: record.role,
  state: record.deactivated_at !== null ? 'deactivated' : record.password_hash === null ? 'invited' : 'active',
  created_at: record.created_at,
  deactivated_at: record.deactivated_at,
});

/** Why a one-time link cannot be used, in words for the person holding it. */
export type LinkRefusal = 'unknown' | 'used' | 'expired' | 'deactivated';
export const LINK_REFUSALS: Record<LinkRefusal, string> = {
  unknown: 'This link is not one of ours: check that it was copied whole, or ask an admin for a new one.',
  used: 'This link was used already, or a newer one replaced it: sign in, or ask an admin for a new one.',
  expired: 'This link has expired: ask an admin for a new one.',
  deactivated: 'This account is deactivated: ask an admin.',
};

export function createUserService(repo: UsersRepository, options: { publicOrigin: string }, now: () => Date = () => new Date()) {
  // Checked against when nobody has the e-mail, so an unknown address costs the same scrypt as a wrong password and
  // the answer's timing does not say who has an account.
  let decoy: Promise<string> | null = null;

  const makeLink = async (userId: string, purpose: UserLinkPurpose) => {
    const token = randomBytes(32).toString('base64url');
    const at = now();
    const expiresAt = new Date(at.getTime() + LINK_LIFETIME_MS[purpose]).toISOString();
    await repo.createLink({
      token_hash: hashLinkToken(token),
      user_id: userId,
      purpose,
      created_at: at.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    return { url: linkUrl(options.publicOrigin, token), expires_at: expiresAt };
  };

  const judgeLink = async (token: string) => {
    const link = await repo.findLink(hashLinkToken(token));
    if (!link) return { refusal: 'unknown' as const };
    if (link.used_at !== null) return { refusal: 'used' as const };
    if (link.deactivated_at !== null) return { refusal: 'deactivated' as const };
    if (Date.parse(link.expires_at) <= now().getTime()) return { refusal: 'expired' as const };
    return { link };
  };

  return {
    /**
     * The user these credentials sign in, or null — for an unknown e-mail, no password yet, a deactivated user or a
     * wrong password alike; `account` is the e-mail of the account tried when there is one (never what was typed: a
     * password typed into the e-mail field must not reach the activity log).
     */
    async authenticate(email: string, password: string): Promise<{ user: UserRecord | null; account: string | null }> {
      const user = await repo.findByEmail(email);
      if (!user?.password_hash) {
        decoy ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(password, await decoy);
        return { user: null, account: user?.email ?? null };
      }
      const right = await verifyPassword(password, user.password_hash);
      return { user: right && user.deactivated_at === null ? user : null, account: user.email };
    },

    /** A new user without a password, and the invitation link that lets them choose one (shown once). */
    async invite(input: Required<UserInvite>): Promise<{ user: UserRecord; link: { url: string; expires_at: string } }> {
      const at = now().toISOString();
      const user: UserRecord = {
        id: randomUUID(),
        email: input.email,
        name: input.name.trim(),
        role: input.role as UserRole,
        password_hash: null,
        created_at: at,
        updated_at: at,
        deactivated_at: null,
        oidc_subject: null,
      };
      await repo.create(user);
      return { user, link: await makeLink(user.id, 'invitation') };
    },

    /** A new link for a user: an invitation again while they have no password, else a password reset. */
    async newLink(user: UserRecord) {
      return makeLink(user.id, user.password_hash === null ? 'invitation' : 'password_reset');
    },

    /** What a link is for, or why it cannot be used. */
    async lookupLink(token: string): Promise<{ info: LinkInfo } | { refusal: LinkRefusal }> {
      const judged = await judgeLink(token);
      if (!('link' in judged) || !judged.link) return { refusal: judged.refusal };
      const { link } = judged;
      return { info: { purpose: link.purpose, email: link.email, name: link.name, expires_at: link.expires_at } };
    },

    /** Sets the password a link was for and spends it (and every other link of that user); signs their other sessions out. */
    async useLink(token: string, password: string): Promise<{ user: UserRecord; purpose: UserLinkPurpose } | { refusal: LinkRefusal }> {
      const judged = await judgeLink(token);
      if (!('link' in judged) || !judged.link) return { refusal: judged.refusal };
      const userId = await repo.useLink(judged.link.token_hash, await hashPassword(password), now().toISOString());
      // Spent by someone else between the two reads (two tabs): theirs won.
      if (userId === null) return { refusal: 'used' };
      const user = await repo.find(userId);
      return user ? { user, purpose: judged.link.purpose } : { refusal: 'unknown' };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
