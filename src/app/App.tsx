import { BackendBadge } from './components/BackendBadge';
import { DataPanel } from './components/DataPanel';
import { EngineCheckPanel } from './components/EngineCheckPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorList } from './components/ErrorList';
import { ModelPanel } from './components/ModelPanel';
import { PredictPanel } from './components/PredictPanel';
import { PreviewPanel } from './components/PreviewPanel';
import { ProjectBar } from './components/ProjectBar';
import { TrainingPanel } from './components/TrainingPanel';
import { WorkspacePanel } from './components/WorkspacePanel';

/** The user's journey, top to bottom: data, label, preview, train, predict and correct, export. */
export function App() {
  return (
    <div className="app">
      <header>
        <h1>U-Net Studio</h1>
        <BackendBadge />
        <ProjectBar />
      </header>
      <ErrorList />
      <main className="studio-grid">
        <div className="studio-main">
          <ErrorBoundary name="data"><DataPanel /></ErrorBoundary>
          <ErrorBoundary name="labelling"><WorkspacePanel /></ErrorBoundary>
          <ErrorBoundary name="previews"><PreviewPanel /></ErrorBoundary>
        </div>
        <div className="studio-side">
          <ErrorBoundary name="training"><TrainingPanel /></ErrorBoundary>
          <ErrorBoundary name="prediction"><PredictPanel /></ErrorBoundary>
          <ErrorBoundary name="model"><ModelPanel /></ErrorBoundary>
          <details className="panel engine-check-details">
            <summary>Engine check</summary>
            <ErrorBoundary name="engine check"><EngineCheckPanel /></ErrorBoundary>
          </details>
        </div>
      </main>
      <footer>Everything runs in this tab: your images never leave this machine.</footer>
    </div>
  );
}
