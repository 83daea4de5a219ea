import { parseHexColour } from '../../core/image/classColours';
import { isolate } from '../../core/text/isolate';
import type { StudioState, StudioStore } from '../../store/createStudioStore';

/** Classes past the tenth get no number key; 32 keeps the palette readable and a label byte ample. */
export const MAX_CLASSES = 32;
/** What model metadata accepts for a class name (readModelMetadata). */
export const MAX_CLASS_NAME_LENGTH = 100;

/** What adding a class did: the new class, or why not; and what the user should know about training. */
export type AddClassOutcome =
  | { readonly added: true; readonly classValue: number; readonly note: string | null }
  | { readonly added: false; readonly refusal: string };

export interface ClassActions {
  addClass(): AddClassOutcome;
  /** Names class k; a blank name is refused (model files need one), returning false. */
  renameClass(classValue: number, name: string): boolean;
  /** Sets class k's overlay colour ('#rrggbb', as <input type=color> gives it). */
  recolourClass(classValue: number, hex: string): void;
}

/** A name no class has yet: "class 2", else "class 2 (2)"... */
export function newClassName(classNames: readonly string[]): string {
  const base = `class ${classNames.length}`;
  let name = base;
  for (let n = 2; classNames.includes(name); n++) name = `${base} (${n})`;
  return name;
}

/**
 * Whether a class may be added now, and what it means for the model. A running or paused run's
 * network has one output per class it started with: a new class cannot join it. A model trained or
 * imported before knows fewer classes than the project will: the engine starts the next run from
 * fresh weights (and says so); the user hears it here first.
 */
export function planAddClass(state: StudioState, name: string): AddClassOutcome {
  const { classNames } = state.data;
  if (state.training.status === 'running' || state.training.status === 'paused') {
    return { added: false, refusal: `Stop training before adding a class: the ${state.training.status} run's network predicts ${classNames.length} classes and cannot learn another.` };
  }
  if (classNames.length >= MAX_CLASSES) return { added: false, refusal: `The studio keeps at most ${MAX_CLASSES} classes.` };
  const note = state.model.available ? addedClassNote(classNames.length, name) : null;
  return { added: true, classValue: classNames.length, note };
}

/** What adding class k means for a model that predicts k classes; the name as it is now (a note on screen follows a rename). */
export function addedClassNote(classValue: number, name: string): string {
  return `Class ${classValue} (${isolate(name)}) added. The current model predicts ${classValue} classes, so the next training run starts ` +
    'from fresh weights (export the model first to keep it); predictions made so far show only the old classes.';
}

/** Adding, naming and recolouring classes: plain store updates (autosave saves names and colours with the project). */
export function createClassActions(store: StudioStore): ClassActions {
  return {
    addClass() {
      const state = store.getState();
      const name = newClassName(state.data.classNames);
      const outcome = planAddClass(state, name);
      if (outcome.added) {
        store.setState((s) => ({
          data: { ...s.data, classNames: [...s.data.classNames, name] },
          paint: { ...s.paint, classValue: outcome.classValue },
        }));
      }
      return outcome;
    },

    renameClass(classValue, name) {
      const { classNames } = store.getState().data;
      if (classValue < 0 || classValue >= classNames.length || name.trim() === '') return false;
      const kept = name.slice(0, MAX_CLASS_NAME_LENGTH);
      if (classNames[classValue] === kept) return true;
      store.setState((s) => ({ data: { ...s.data, classNames: s.data.classNames.map((old, k) => (k === classValue ? kept : old)) } }));
      return true;
    },

    recolourClass(classValue, hex) {
      if (!parseHexColour(hex) || classValue < 0) return;
      store.setState((s) => {
        const colours = [...s.data.classColours];
        while (colours.length < classValue) colours.push(null);
        colours[classValue] = hex.toLowerCase();
        return { data: { ...s.data, classColours: colours } };
      });
    },
  };
}
