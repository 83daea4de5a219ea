#!/usr/bin/env node
// The headless studio (src/cli/main.ts), run through tsx: the same TypeScript the page is built from, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
