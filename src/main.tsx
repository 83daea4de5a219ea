import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/components/ErrorBoundary';
import { connectEngine } from './app/connectEngine';
import { createDataActions } from './app/data/createDataActions';
import { SliceRegistry } from './app/data/sliceRegistry';
import { EngineClient } from './app/engineClient';
import { StudioContext } from './app/StudioContext';
import { parseBackendOverride } from './app/parseBackendOverride';
import { createStudioStore } from './store/createStudioStore';
import './styles.css';

const params = new URLSearchParams(location.search);
const store = createStudioStore();
const engine = new EngineClient();
const slices = new SliceRegistry();
const actions = { ...connectEngine(engine, store, parseBackendOverride(params.get('backend'))), ...createDataActions(store, slices, engine) };

// Test hook: end-to-end specs read state here instead of scraping text. Only with ?test-hooks in the URL.
if (params.has('test-hooks')) {
  (window as unknown as { __studio: unknown }).__studio = { getState: store.getState, engine };
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ErrorBoundary name="studio">
      <StudioContext.Provider value={{ store, actions, slices }}>
        <App />
      </StudioContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
