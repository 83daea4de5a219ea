import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ErrorBoundary } from './app/components/ErrorBoundary';
import { createWorkerImportRunner } from './app/data/importRunner';
import { EngineClient } from './app/engineClient';
import { parseBackendOverride } from './app/parseBackendOverride';
import { createWorkerSweepScorer } from './app/predict/scoring/sweepScorer';
import { StudioContext } from './app/StudioContext';
import { setUpServiceWorker } from './app/serviceWorkerSetup';
import { applyTheme, storedTheme } from './app/theme';
import { createStudio } from './createStudio';
import './styles.css';

// First, the service worker (threads and offline); on a first visit it reloads the page once.
if ((await setUpServiceWorker()) === 'ready') startStudio();

function startStudio(): void {
  applyTheme(storedTheme(), false);
  const params = new URLSearchParams(location.search);
  const studio = createStudio({
    engine: new EngineClient(),
    scorer: createWorkerSweepScorer(),
    runImport: createWorkerImportRunner(),
    backends: parseBackendOverride(params.get('backend')),
  });

  // Test hook: end-to-end specs read state here instead of scraping text. Only with ?test-hooks in the URL.
  if (params.has('test-hooks')) {
    (window as unknown as { __studio: unknown }).__studio = { getState: studio.store.getState, engine: studio.engine, slices: studio.slices, predictions: studio.predictions };
  }

  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <ErrorBoundary name="studio">
        <StudioContext.Provider value={studio}>
          <App />
        </StudioContext.Provider>
      </ErrorBoundary>
    </StrictMode>,
  );
}
