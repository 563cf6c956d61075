import { useState } from 'react';

/**
 * A dialog about one item of a list (delete this, revoke that): `show(item)` opens it, and the item stays set once it
 * closes, so the dialog stays mounted and returns focus to the button that opened it.
 */
export function useDialogTarget<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [open, setOpen] = useState(false);
  const show = (item: T) => {
    setTarget(item);
    setOpen(true);
  };
  return { target, open, setOpen, show };
}
