import { useState } from 'react';
import { CanvasReadout, CanvasReadoutContext } from './canvas/CanvasReadout';
import { BackendBadge } from './components/BackendBadge';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorList } from './components/ErrorList';
import { PaintToolbar } from './components/PaintToolbar';
import { ProjectBar } from './components/ProjectBar';
import { ShortcutSheet } from './components/ShortcutSheet';
import { SliceStrip } from './components/SliceStrip';
import { SliceView } from './components/SliceView';
import { StatusBar } from './components/StatusBar';
import { ThemeToggle } from './components/ThemeToggle';
import { WorkflowPanel } from './components/WorkflowPanel';
import { useStudioActions, useStudioState } from './StudioContext';

/**
 * The studio fills the window and never scrolls: a top bar, the tools at the left of the canvas, the
 * canvas in the middle, the workflow steps at the right (one open at a time), the slice strip under
 * the canvas and a status bar along the bottom. Errors float over the top of the canvas.
 */
export function App() {
  const [readout] = useState(() => new CanvasReadout());
  const hasSlice = useStudioState((s) => s.data.currentSliceId !== null);
  const { setView } = useStudioActions();

  return (
    <CanvasReadoutContext.Provider value={readout}>
      <div className="app">
        <header className="top-bar">
          <h1>U-Net Studio</h1>
          <BackendBadge />
          <div className="top-bar-end">
            <ProjectBar />
            <button type="button" className="secondary top-bar-button" aria-keyshortcuts="?" title="Keyboard shortcuts (?)"
              onClick={() => setView({ shortcutSheetOpen: true })}>Shortcuts</button>
            <ThemeToggle />
          </div>
        </header>
        <ErrorList />
        <aside className="tool-bar" aria-label="Paint tools">
          <ErrorBoundary name="tools"><PaintToolbar /></ErrorBoundary>
        </aside>
        <main className="canvas-area">
          <ErrorBoundary name="canvas">
            {hasSlice ? <SliceView /> : (
              <div className="canvas-empty">
                <p>Drop images (and labels, if you have them) or load the example in <strong>Data</strong>, at the right.</p>
              </div>
            )}
          </ErrorBoundary>
        </main>
        <nav className="slice-strip-area" aria-label="Slice strip">
          <ErrorBoundary name="slices"><SliceStrip /></ErrorBoundary>
        </nav>
        <WorkflowPanel />
        <StatusBar />
        <ShortcutSheet />
      </div>
    </CanvasReadoutContext.Provider>
  );
}
