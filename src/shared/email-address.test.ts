import { describe, expect, it } from 'vitest';
import { parseEmail } from './email-address.ts';

describe('parseEmail', () => {
  it.each([
    ['ana@corp.example', 'ana@corp.example', 'corp.example'],
    ['  ana@corp.example ', 'ana@corp.example', 'corp.example'],
    ['NewHire@Corp.Example', 'NewHire@corp.example', 'corp.example'],
    ['first.last+s3@sub.corp.example', 'first.last+s3@sub.corp.example', 'sub.corp.example'],
    ["o'brien@corp.example", "o'brien@corp.example", 'corp.example'],
    // Internationalised domain names are kept as IDNA A-labels, whichever way they were written.
    ['a@bücher.example', 'a@xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a@BÜCHER.example', 'a@xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a@xn--bcher-kva.example', 'a@xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('accepts %j as %j', (raw, email, domain) => {
    expect(parseEmail(raw)).toEqual({ ok: true, email, domain });
  });

  it.each([
    ['', /Enter an e-mail/],
    ['admin', /one e-mail address/],
    ['admin ', /one e-mail address/],
    // Several @: the part after the first is not the domain the parser finds.
    ['m@corp.example@evil.example', /one e-mail address/],
    // A quoted local part hides an @ before the real domain (evil.example): valid RFC 5322, refused here.
    ['"m@corp.example@"@evil.example', /no quotes/],
    ['"ana"@corp.example', /no quotes/],
    // Comments, display names and folding white space are not part of an address.
    ['ana(comment)@corp.example', /address alone/],
    ['ana@(comment)corp.example', /address alone/],
    ['Ana <ana@corp.example>', /address alone/],
    ['ana @corp.example', /address alone/],
    ['API key "viewer-key" (s3dk_2K1Ixp…)', /one e-mail address|address alone|no quotes/],
    // Address literals and single-label or IP-shaped domains.
    ['ana@[192.0.2.1]', /domain name/],
    ['ana@localhost', /domain name/],
    ['ana@192.0.2.1', /domain name/],
    ['ana@-corp.example', /domain name|one e-mail/],
    // Non-ASCII local parts (RFC 6531), control and bidirectional characters.
    ['anä@corp.example', /no accents/],
    ['ana\u202e@corp.example', /no accents|one e-mail|address alone/],
    ['ana\u001b[31m@corp.example', /one e-mail|address alone|no accents/],
    ['ana\n@corp.example', /one e-mail|address alone/],
    ['<b>ana</b>@corp.example', /one e-mail|address alone|no quotes/],
    ['a..b@corp.example', /one e-mail|no quotes/],
    [`${'a'.repeat(65)}@corp.example`, /no quotes/],
    [`a@${'b'.repeat(250)}.example`, /at most 254/],
  ])('refuses %j', (raw, problem) => {
    const verdict = parseEmail(raw);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.problem).toMatch(problem);
  });
});
