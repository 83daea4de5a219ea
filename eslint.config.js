import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Globals that exist only in a page or a worker: src/core must run in Node too. */
const hostGlobals = ['window', 'document', 'navigator', 'self', 'location', 'localStorage', 'indexedDB', 'postMessage', 'HTMLElement', 'HTMLCanvasElement', 'OffscreenCanvas', 'Worker'];

export default tseslint.config(
  { ignores: ['dist', 'dist-gpu-bench', 'node_modules', 'test-results', 'playwright-report', 'bench/results', '.probe'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/app/**/*.tsx', 'src/app/**/*.ts', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The pure core: algorithms only. No UI, no store, no engine, no host globals.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'], message: 'src/core is UI-free: no React or zustand.' },
          { group: ['**/app/**', '**/store/**', '**/engine/**'], message: 'src/core must not import from the layers above it.' },
          { group: ['node:*', 'fs', 'path', 'os', 'url', 'worker_threads'], message: 'src/core runs in browsers and workers: no Node modules.' },
        ],
      }],
      'no-restricted-globals': ['error', ...hostGlobals.map((name) => ({ name, message: `src/core is host-free: no ${name}.` }))],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['react', 'react-dom', '**/app/**'], message: 'The store is vanilla zustand: no React.' }] }],
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}', 'scripts/**', 'e2e/**', '*.config.ts', '**/*.test.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
