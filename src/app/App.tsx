import { BackendBadge } from './components/BackendBadge';
import { DataPanel } from './components/DataPanel';
import { EngineCheckPanel } from './components/EngineCheckPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorList } from './components/ErrorList';

export function App() {
  return (
    <div className="app">
      <header>
        <h1>U-Net Studio</h1>
        <BackendBadge />
      </header>
      <ErrorList />
      <main>
        <ErrorBoundary name="data">
          <DataPanel />
        </ErrorBoundary>
        <ErrorBoundary name="engine check">
          <EngineCheckPanel />
        </ErrorBoundary>
      </main>
      <footer>Everything runs in this tab: your images never leave this machine.</footer>
    </div>
  );
}
