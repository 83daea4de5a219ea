import { describe, expect, it } from 'vitest';
import { createStudioStore } from '../../store/createStudioStore';
import { metaFromState, restoredMetaState } from '../persistence/projectMeta';
import { createClassActions, MAX_CLASSES, newClassName } from './createClassActions';
import { classHexOf, classPaletteOf } from './classPaletteOf';

const setup = () => {
  const store = createStudioStore();
  return { store, actions: createClassActions(store) };
};

describe('classes: add, rename, recolour', () => {
  it('adds a class with a new name and picks it for painting', () => {
    const { store, actions } = setup();
    const outcome = actions.addClass();
    expect(outcome).toEqual({ added: true, classValue: 2, note: null });
    expect(store.getState().data.classNames).toEqual(['background', 'foreground', 'class 2']);
    expect(store.getState().paint.classValue).toBe(2);
    expect(newClassName(['a', 'class 1'])).toBe('class 2');
    expect(newClassName(['class 2', 'b'])).toBe('class 2 (2)');
  });

  it('says the next run starts fresh when a model knows fewer classes, naming the class bidi-isolated', () => {
    const { store, actions } = setup();
    store.setState((s) => ({ model: { ...s.model, available: true } }));
    const outcome = actions.addClass();
    expect(outcome.added && outcome.note).toMatch(/^Class 2 \(\u2068class 2\u2069\) added\. The current model predicts 2 classes, so the next training run starts from fresh weights/);
  });

  it('refuses to add a class while a run is running or paused, changing nothing', () => {
    for (const status of ['running', 'paused'] as const) {
      const { store, actions } = setup();
      store.setState((s) => ({ training: { ...s.training, status } }));
      const outcome = actions.addClass();
      expect(outcome).toEqual({ added: false, refusal: expect.stringMatching(new RegExp(`^Stop training before adding a class: the ${status} run`)) });
      expect(store.getState().data.classNames).toHaveLength(2);
    }
  });

  it(`stops at ${MAX_CLASSES} classes`, () => {
    const { store, actions } = setup();
    while (store.getState().data.classNames.length < MAX_CLASSES) actions.addClass();
    expect(actions.addClass().added).toBe(false);
    expect(store.getState().data.classNames).toHaveLength(MAX_CLASSES);
  });

  it('renames a class, refusing a blank name', () => {
    const { store, actions } = setup();
    expect(actions.renameClass(1, 'nucleus')).toBe(true);
    expect(actions.renameClass(1, '   ')).toBe(false);
    expect(actions.renameClass(5, 'nowhere')).toBe(false);
    expect(store.getState().data.classNames).toEqual(['background', 'nucleus']);
  });

  it('recolours one class; the others keep their default colour', () => {
    const { store, actions } = setup();
    const before = classHexOf(store.getState().data, 0);
    actions.recolourClass(1, '#12AB34');
    actions.recolourClass(1, 'red'); // not '#rrggbb': ignored
    const { data } = store.getState();
    expect(data.classColours).toEqual([null, '#12ab34']);
    expect(classHexOf(data, 1)).toBe('#12ab34');
    expect(classHexOf(data, 0)).toBe(before);
    expect(classPaletteOf(data)[1]).toEqual([0x12, 0xab, 0x34]);
  });
});

describe('classes in the saved project', () => {
  it('keeps names and colours through a save and a restore', () => {
    const { store, actions } = setup();
    actions.addClass();
    actions.renameClass(2, 'membrane');
    actions.recolourClass(2, '#00ff88');
    const saved = JSON.parse(JSON.stringify(metaFromState(store.getState(), new Date(0)))) as ReturnType<typeof metaFromState>;
    const restored = restoredMetaState(createStudioStore().getState(), saved).data;
    expect(restored.classNames).toEqual(['background', 'foreground', 'membrane']);
    expect(restored.classColours).toEqual([null, null, '#00ff88']);
    expect(classHexOf(restored, 2)).toBe('#00ff88');
  });

  it('restores default colours for a project saved before colours were kept, and drops malformed ones', () => {
    const fresh = createStudioStore().getState();
    const base = metaFromState(fresh, new Date(0));
    const older = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    delete older.classColours;
    expect(restoredMetaState(fresh, older as unknown as typeof base).data.classColours).toEqual([]);
    const odd = { ...base, classColours: ['#zzzzzz', 42 as unknown as string, '#ABCDEF'] };
    expect(restoredMetaState(fresh, odd).data.classColours).toEqual([null, null, '#ABCDEF']);
  });
});
