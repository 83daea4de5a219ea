import type { EngineMemory } from '../../engine/protocol';
import { formatBytes } from '../formatBytes';

/** One line under training or prediction: how much memory the engine took, so a user can size tiles to their device. */
export function EngineMemoryNote({ memory }: { memory: EngineMemory | null }) {
  if (!memory) return null;
  return (
    <p className="hint engine-memory" aria-label="Engine memory" data-bytes={memory.bytes}>
      Engine memory: {formatBytes(memory.bytes)} ({memory.what})
    </p>
  );
}
