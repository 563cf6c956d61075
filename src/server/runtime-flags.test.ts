import { describe, expect, it } from 'vitest';
import { missingNodeFlags, SERVER_NODE_FLAGS } from './runtime-flags.ts';

describe('missingNodeFlags', () => {
  it('finds each flag on the command line or in NODE_OPTIONS, whatever value it was given there, with - or _', () => {
    expect(missingNodeFlags([], '')).toEqual([...SERVER_NODE_FLAGS]);
    expect(missingNodeFlags(['--max-semi-space-size=16'], '')).toEqual([]);
    expect(missingNodeFlags([], '--enable-source-maps --max-semi-space-size=8')).toEqual([]);
    expect(missingNodeFlags(['--max_semi_space_size=32'], '')).toEqual([]);
    expect(missingNodeFlags(['--max-old-space-size=512'], '--max-semi-space')).toEqual([...SERVER_NODE_FLAGS]);
  });
});
