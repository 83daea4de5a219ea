/// <reference lib="webworker" />
import type { WorkerNetworkScope } from './networkGuard';
import { installNetworkGuard } from './networkGuard';

// Imported first by every worker entry: the guard is in place before any library code runs.
declare const self: DedicatedWorkerGlobalScope;
installNetworkGuard(self as unknown as WorkerNetworkScope);
