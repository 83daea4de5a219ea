import 'fake-indexeddb/auto';
import { expect, vi } from 'vitest';
import type { EngineEvent } from '../../engine/protocol';
import type { StudioStore } from '../../store/createStudioStore';
import { createStudioStore } from '../../store/createStudioStore';
import { SliceRegistry } from '../data/sliceRegistry';
import type { EngineClient, EngineListener, EngineRequestBody } from '../engineClient';
import { createPredictActions } from '../predict/createPredictActions';
import { PredictionRegistry } from '../predict/predictionRegistry';
import type { PersistenceOptions, ProjectActions } from './connectPersistence';
import { connectPersistence } from './connectPersistence';
import { ProjectDb } from './projectDb';

// A studio wired as createStudio wires its persistence, for the persistence tests (not used by the app).

/** Records what the page sends and lets the test play the worker's events. */
export class FakeEngine {
  readonly sent: EngineRequestBody[] = [];
  private readonly listeners = new Set<EngineListener>();
  private nextRun = 1;
  send(body: EngineRequestBody): string {
    this.sent.push(body);
    return `run-${this.nextRun++}`;
  }
  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: EngineEvent): void {
    this.listeners.forEach((l) => l(event));
  }
  sentOf<T extends EngineRequestBody['type']>(type: T): Extract<EngineRequestBody, { type: T }>[] {
    return this.sent.filter((b): b is Extract<EngineRequestBody, { type: T }> => b.type === type);
  }
}

export interface TestStudio {
  store: StudioStore;
  registry: SliceRegistry;
  predictions: PredictionRegistry;
  engine: FakeEngine;
  newProject(): Promise<void>;
  hasUnsavedWork(): boolean;
  replaceProject: ProjectActions['replaceProject'];
  reload: ReturnType<typeof vi.fn>;
}

let dbCount = 0;
export const freshName = () => `persistence-test-${++dbCount}`;

/** A studio as createStudio wires it, minus the parts that need a worker; waits for the restore. */
export async function startStudio(dbName: string, options: PersistenceOptions = {}): Promise<TestStudio> {
  const store = createStudioStore();
  const registry = new SliceRegistry();
  const predictions = new PredictionRegistry();
  const engine = new FakeEngine();
  const reload = vi.fn();
  // As in createStudio: prediction actions hear the engine first (they file a finished slice before autosave reads it).
  createPredictActions(store, engine as unknown as EngineClient, registry, predictions);
  const actions = connectPersistence(store, registry, predictions, engine as unknown as EngineClient, {
    openDb: () => ProjectDb.open(dbName), reload, metaDelayMs: 40, ...options,
  });
  expect(store.getState().project.persistence).toBe('restoring');
  await vi.waitFor(() => expect(store.getState().project.persistence).not.toBe('restoring'));
  return { store, registry, predictions, engine, reload, newProject: actions.newProject, hasUnsavedWork: actions.hasUnsavedWork, replaceProject: actions.replaceProject };
}

export const waitSaved = (store: StudioStore) => vi.waitFor(() => expect(store.getState().project.persistence).toBe('saved'));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const load = async (dbName: string) => (await ProjectDb.open(dbName)).loadProject();

