import { describe, expect, it } from 'vitest';
import { modelClassNames } from './modelClassNames';

describe('model class names', () => {
  it("keeps the names of the classes a model learned when the project has added one since", () => {
    expect(modelClassNames(['background', 'nucleus', 'mitochondria'], 2)).toEqual(['background', 'nucleus']);
    expect(modelClassNames(['background', 'nucleus'], 2)).toEqual(['background', 'nucleus']);
  });

  it('names every class plainly when the project names fewer', () => {
    expect(modelClassNames(['background'], 3)).toEqual(['background', 'class 1', 'class 2']);
  });
});
