import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/components/ErrorBoundary';
import { connectEngine } from './app/connectEngine';
import { EngineClient } from './app/engineClient';
import { StudioContext } from './app/StudioContext';
import { parseBackendOverride } from './app/parseBackendOverride';
import { createStudioStore } from './store/createStudioStore';
import './styles.css';

const params = new URLSearchParams(location.search);
const store = createStudioStore();
const engine = new EngineClient();
const actions = connectEngine(engine, store, parseBackendOverride(params.get('backend')));

// Test hook: end-to-end specs read state here instead of scraping text. Only with ?test-hooks in the URL.
if (params.has('test-hooks')) {
  (window as unknown as { __studio: unknown }).__studio = { getState: store.getState, engine };
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ErrorBoundary name="studio">
      <StudioContext.Provider value={{ store, actions }}>
        <App />
      </StudioContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
