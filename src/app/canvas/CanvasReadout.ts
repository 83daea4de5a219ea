import { createContext, useContext } from 'react';

/** The canvas's high-frequency state for the status bar: the image point under the cursor, and the zoom. */
export interface CanvasReadoutState {
  /** Fractional image coordinates under the pointer; null when the pointer is off the canvas. */
  readonly cursor: { readonly x: number; readonly y: number } | null;
  /** CSS pixels per image pixel, as a percentage (100 = one image pixel per CSS pixel). */
  readonly zoomPercent: number | null;
}

/**
 * A tiny channel from the canvas controller to the status bar, outside the store and React (zustand's
 * "transient updates"): the cursor moves per pointer event and must not re-render anything.
 */
export class CanvasReadout {
  private state: CanvasReadoutState = { cursor: null, zoomPercent: null };
  private readonly listeners = new Set<(state: CanvasReadoutState) => void>();

  get current(): CanvasReadoutState {
    return this.state;
  }

  publish(patch: Partial<CanvasReadoutState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  subscribe(listener: (state: CanvasReadoutState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const CanvasReadoutContext = createContext<CanvasReadout | null>(null);

export function useCanvasReadout(): CanvasReadout | null {
  return useContext(CanvasReadoutContext);
}
