// Prints one closing line for the whole `npm test` run ("N passed, N failed"),
// from the JSON reports Vitest and Playwright wrote to reports/.
import { readFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(new URL(`../reports/${file}`, import.meta.url), 'utf8'));
const unit = read('unit.json');
const e2e = read('e2e.json');
const passed = unit.numPassedTests + e2e.stats.expected;
const failed = unit.numFailedTests + e2e.stats.unexpected + e2e.stats.flaky;
const skipped = unit.numPendingTests + unit.numTodoTests + e2e.stats.skipped;
console.log(`\nunit: ${unit.numPassedTests} passed; end-to-end: ${e2e.stats.expected} passed`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
