import { UNLABELLED } from '../../core/labels/classMap';
import type { PaintTool } from '../../store/slices/paintSlice';

/** What a key press asks for; the component maps these onto actions. */
export type ShortcutCommand =
  | { readonly kind: 'tool'; readonly tool: PaintTool }
  | { readonly kind: 'class'; readonly classValue: number }
  | { readonly kind: 'brush'; readonly factor: number }
  | { readonly kind: 'undo' }
  | { readonly kind: 'redo' }
  | { readonly kind: 'fit' }
  | { readonly kind: 'zoom'; readonly factor: number }
  | { readonly kind: 'slice'; readonly delta: -1 | 1 };

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** The keys, napari's where napari has one (and the slice keys of image viewers: , . and PageUp / PageDown) (P paint, E erase, F fill, Z pan/zoom, [ ] brush size). Shown in the UI. */
export const SHORTCUTS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'P', what: 'brush' },
  { keys: 'E', what: 'eraser (back to unlabelled)' },
  { keys: 'F', what: 'flood fill' },
  { keys: 'Z', what: 'pan and zoom (or hold Space)' },
  { keys: '0-9', what: 'pick class' },
  { keys: 'U', what: 'paint "unlabelled"' },
  { keys: '[ ]', what: 'smaller / larger brush' },
  { keys: 'Ctrl+Z', what: 'undo' },
  { keys: 'Ctrl+Shift+Z, Ctrl+Y', what: 'redo' },
  { keys: '+ − H', what: 'zoom in, out, fit' },
  { keys: ', .  PageUp PageDown', what: 'previous / next slice' },
  { keys: '?', what: 'this list of shortcuts' },
  { keys: 'Esc', what: 'close this list' },
];

export function shortcutFor(press: KeyPress, numClasses: number): ShortcutCommand | null {
  const key = press.key.toLowerCase();
  const mod = press.ctrlKey || press.metaKey;
  if (mod && key === 'z') return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (mod && key === 'y') return { kind: 'redo' };
  if (mod) return null; // leave the browser's own shortcuts alone
  if (/^[0-9]$/.test(key)) return Number(key) < numClasses ? { kind: 'class', classValue: Number(key) } : null;
  switch (key) {
    case 'p': return { kind: 'tool', tool: 'brush' };
    case 'e': return { kind: 'tool', tool: 'eraser' };
    case 'f': return { kind: 'tool', tool: 'fill' };
    case 'z': return { kind: 'tool', tool: 'pan' };
    case 'u': return { kind: 'class', classValue: UNLABELLED };
    case '[': return { kind: 'brush', factor: 1 / 1.25 };
    case ']': return { kind: 'brush', factor: 1.25 };
    case 'h': return { kind: 'fit' };
    case '+': case '=': return { kind: 'zoom', factor: 1.25 };
    case '-': return { kind: 'zoom', factor: 0.8 };
    case ',': case 'pageup': return { kind: 'slice', delta: -1 };
    case '.': case 'pagedown': return { kind: 'slice', delta: 1 };
    default: return null;
  }
}
