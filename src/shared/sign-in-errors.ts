/**
 * Why a single sign-on did not sign someone in: the callback sends the browser to `/?sign_in_error=<code>` and the
 * sign-in screen says the sentence. Codes only travel in the URL, never a provider's own words.
 */
export const SIGN_IN_ERRORS = {
  expired: 'That sign-in took too long or was already used. Try again.',
  state: 'That sign-in did not start here (its state does not match). Start it again from this page.',
  provider:
    'The identity provider refused the sign-in or answered something this app cannot trust. Try again, or ask an admin to look at the activity log.',
  unreachable: 'The identity provider could not be reached. Try again in a moment, or ask an admin.',
  no_role: 'You signed in with the identity provider, but none of your groups gives you a role here. Ask an admin to add you.',
  deactivated: 'Your account here is deactivated. Ask an admin.',
  email_unverified:
    'The identity provider did not say your e-mail address is verified, and only verified addresses can sign in here. Verify it with the provider, or ask an admin.',
  email_invalid: 'The identity provider gave an e-mail address this app does not accept (one plain address, like ana@example.com). Ask an admin.',
  email_taken: 'An account here already has your e-mail and is linked to someone else at the identity provider. Ask an admin.',
  off: 'Single sign-on is not set up on this server.',
  too_many: 'Too many sign-in attempts from here: wait a minute and try again.',
} as const;
export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;
export const isSignInErrorCode = (code: string | null): code is SignInErrorCode => code !== null && Object.hasOwn(SIGN_IN_ERRORS, code);
