/**
 * A failure's fix as a control (issue 27), one row a code: where a field of the saved connector is the fix, the edit
 * page with that field set (the region the check found) or focused; where other credentials are, the Update
 * credentials dialog. The results panel offers them under the step that failed, the list in a failing row.
 */
export type EditFix = { label: string; to: string };

const editAt = (destinationId: string, query: string) => `/destinations/${destinationId}/edit?${query}`;

const EDIT_FIXES: Partial<Record<string, (at: { destinationId: string; region: string | null }) => EditFix | null>> = {
  WrongRegion: ({ destinationId, region }) =>
    region ? { label: `Set Region to ${region}`, to: editAt(destinationId, `region=${encodeURIComponent(region)}`) } : null,
  NoSuchBucket: ({ destinationId }) => ({ label: 'Edit the Bucket URI', to: editAt(destinationId, 'focus=remote_url') }),
  InvalidBucketName: ({ destinationId }) => ({ label: 'Edit the Bucket URI', to: editAt(destinationId, 'focus=remote_url') }),
  KeyTooLongError: ({ destinationId }) => ({ label: 'Edit the Bucket URI', to: editAt(destinationId, 'focus=remote_url') }),
  AuthorizationHeaderMalformed: ({ destinationId }) => ({ label: 'Edit the Region', to: editAt(destinationId, 'focus=region') }),
  InvalidRegion: ({ destinationId }) => ({ label: 'Edit the Region', to: editAt(destinationId, 'focus=region') }),
};

/** The edit that fixes `code` on a saved connector, or null (none, or not a saved connector's check). */
export function editFixFor(code: string | null, at: { destinationId: string | null; region: string | null }): EditFix | null {
  const make = code === null ? undefined : EDIT_FIXES[code];
  return make && at.destinationId !== null ? make({ destinationId: at.destinationId, region: at.region }) : null;
}

/** Codes whose one fix is other credentials. */
const CREDENTIAL_CODES = new Set([
  'ExpiredToken',
  'TokenRefreshRequired',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessKeyLength',
  'InvalidToken',
  'InvalidClientTokenId',
]);
export const fixedByNewCredentials = (code: string | null) => code !== null && CREDENTIAL_CODES.has(code);
