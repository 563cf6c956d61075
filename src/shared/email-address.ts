import emailAddresses from 'email-addresses';

/**
 * The one rule for an e-mail that names a person here (invitations, single sign-on, sign-in, set-password): parsed by
 * an RFC 5322 parser (email-addresses), then held to what mail providers actually issue —
 * - a bare address: no display name, no comments, no surrounding or inner white space;
 * - an ASCII dot-atom local part (RFC 5321 Dot-string): no quoted local parts (`"a@b"@c` puts an `@` before the real
 *   domain), and no internationalised ones (their case-folding differs between SQLite and PostgreSQL);
 * - a domain name of letters, digits and hyphens, at least two labels, internationalised names as IDNA A-labels
 *   (`bücher.example` → `xn--bcher-kva.example`): no address literals (`[192.0.2.1]`).
 * Normalised once: trimmed, the domain lower-cased (local parts keep their case; uniqueness ignores case everywhere).
 */
export type EmailVerdict = { ok: true; email: string; domain: string } | { ok: false; problem: string };

const EMAIL_MAX = 254;
const LOCAL_MAX = 64;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LOCAL_RULE = 'The part before the @ may hold only letters a–z, digits and . _ + - (no quotes, no accents)';
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseEmail(raw: string): EmailVerdict {
  const value = raw.trim();
  const bad = (problem: string): EmailVerdict => ({ ok: false, problem });
  if (value === '') return bad('Enter an e-mail address, like ana@example.com');
  if (value.length > EMAIL_MAX) return bad(`An e-mail address has at most ${EMAIL_MAX} characters`);
  const parsed = emailAddresses.parseOneAddress({ input: value, rfc6532: true });
  if (!parsed || parsed.type !== 'mailbox') return bad('Enter one e-mail address, like ana@example.com');
  if (parsed.parts.local.tokens.includes('"')) return bad(LOCAL_RULE);
  // A display name, a comment or folding white space was parsed around the address: only a bare address names a person.
  if (parsed.name !== null || `${parsed.local}@${parsed.domain}` !== value)
    return bad('Enter the address alone, like ana@example.com (no name, comment or spaces)');
  const local = parsed.local;
  if (!DOT_ATOM.test(local) || local.length > LOCAL_MAX) return bad(LOCAL_RULE);
  const domain = asciiDomain(parsed.domain);
  if (domain === null) return bad('The part after the @ must be a domain name, like example.com');
  const email = `${local}@${domain}`;
  if (email.length > EMAIL_MAX) return bad(`An e-mail address has at most ${EMAIL_MAX} characters`);
  return { ok: true, email, domain };
}

/** A domain name as IDNA A-labels in lower case (the WHATWG URL parser's UTS #46 processing), or null. */
function asciiDomain(raw: string): string | null {
  if (raw.startsWith('[')) return null;
  let host: string;
  try {
    host = new URL(`http://${raw}/`).hostname;
  } catch {
    return null;
  }
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // An IPv4 address in any spelling the URL parser accepts becomes dotted digits: not a domain name.
  if (/^[0-9.]+$/.test(host)) return null;
  return host;
}
