import { describe, expect, it } from 'vitest';
import { conciseMessage } from './conciseMessage';

describe('conciseMessage', () => {
  it('keeps a short message, and cuts a library dump to its first line, at a word, within the limit', () => {
    expect(conciseMessage('Training diverged: try a smaller learning rate.')).toEqual({ text: 'Training diverged: try a smaller learning rate.', cut: false });
    const dump = `Error when checking: expected shape [1,3,3,16] but got\nTensor\n    [[[${'0.123, '.repeat(300)}]]]`;
    expect(conciseMessage(dump)).toEqual({ text: 'Error when checking: expected shape [1,3,3,16] but got', cut: true });
    const long = `${'word '.repeat(100)}end`;
    const { text, cut } = conciseMessage(long, 50);
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(51);
    expect(text).toBe(`${'word '.repeat(9)}word…`);
  });
});
