/**
 * A sentence for the next screen to say once (what was just deleted, on the list it led back to). In memory only:
 * nothing of it reaches browser storage.
 */
let pending: string | null = null;

export const flash = {
  set(message: string) {
    pending = message;
  },
  take(): string | null {
    const message = pending;
    pending = null;
    return message;
  },
};
