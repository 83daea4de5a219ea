import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StudioState, StudioStore } from '../store/createStudioStore';
import type { EngineActions } from './connectEngine';
import type { DataActions } from './data/createDataActions';
import type { SliceRegistry } from './data/sliceRegistry';

export type StudioActions = EngineActions & DataActions;

export interface Studio {
  readonly store: StudioStore;
  readonly actions: StudioActions;
  readonly slices: SliceRegistry;
}

export const StudioContext = createContext<Studio | null>(null);

function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio must be used inside <StudioContext.Provider>.');
  return studio;
}

export function useStudioState<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudio().store, selector);
}

export function useStudioActions(): StudioActions {
  return useStudio().actions;
}

export function useSliceRegistry(): SliceRegistry {
  return useStudio().slices;
}
