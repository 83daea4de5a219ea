import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './parseCommand';

describe('parseCommand', () => {
  it('reads train with its options, defaults for the rest', () => {
    expect(parseCommand(['train', 'p.zip', '--out', 'o', '--steps', '40', '--preset', 'tiny'])).toEqual({
      kind: 'train', project: 'p.zip', out: 'o', steps: 40, preset: 'tiny', fresh: false, backend: 'auto',
    });
    expect(parseCommand(['train', 'p.zip', '--out=o', '--fresh', '--backend', 'wasm'])).toMatchObject({ steps: null, preset: null, fresh: true, backend: 'wasm' });
  });

  it('reads predict', () => {
    expect(parseCommand(['predict', 'p.zip', '--out', 'o', '--tta'])).toEqual({ kind: 'predict', project: 'p.zip', out: 'o', tta: true, backend: 'auto' });
  });

  it('asks for help with no command, help or -h', () => {
    for (const argv of [[], ['help'], ['-h'], ['train', '--help']]) expect(parseCommand(argv).kind).toBe('help');
  });

  it.each([
    [['fit', 'p.zip', '--out', 'o'], 'Unknown command "fit"'],
    [['train', '--out', 'o'], 'needs a project file'],
    [['train', 'p.zip'], 'needs --out DIR'],
    [['train', 'a.zip', 'b.zip', '--out', 'o'], 'One project at a time'],
    [['train', 'p.zip', '--out', 'o', '--steps', '2.5'], '--steps must be a whole number'],
    [['train', 'p.zip', '--out', 'o', '--steps', '0'], '--steps must be a whole number'],
    [['train', 'p.zip', '--out', 'o', '--preset', 'huge'], '--preset must be one of tiny, fast, paper'],
    [['train', 'p.zip', '--out', 'o', '--backend', 'cuda'], '--backend must be one of auto, webgpu, wasm, cpu'],
    [['train', 'p.zip', '--out', 'o', '--tta'], '--tta is for predict'],
    [['predict', 'p.zip', '--out', 'o', '--steps', '3'], 'are for train, not predict'],
    [['train', 'p.zip', '--out', 'o', '--speed', '3'], "Unknown option '--speed'"],
  ])('refuses %j, saying what to change', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
