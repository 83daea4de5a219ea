import { describe, expect, it } from 'vitest';
import { isolate, revealDirectionControls } from './isolate';

describe('isolate', () => {
  it('wraps a name in a first-strong isolate and shows its direction controls as codes', () => {
    expect(isolate('cells.png')).toBe('\u2068cells.png\u2069');
    expect(isolate('invoice\u202Egnp.tif')).toBe('\u2068invoice[U+202E]gnp.tif\u2069');
    expect(isolate('\u05EA\u05D0\u05D9\u05DD.tif')).toBe('\u2068\u05EA\u05D0\u05D9\u05DD.tif\u2069'); // Hebrew stays as it is, isolated
    expect(revealDirectionControls('a\u2066b\u2069c\u202Ad')).toBe('a[U+2066]b[U+2069]c[U+202A]d');
  });
});
