/**
 * src/core must stay free of the DOM, React and Node so it runs in Node tests
 * and inside workers. This proves the guards are real: a probe file placed in
 * src/core that breaks the rule must fail the compiler and the linter.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const probePath = path.join(root, 'src/core/boundaryProbe.ts');

function compileInCore(source: string): string[] {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.core.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === probePath ? source : readFile(file));
  host.fileExists = ((exists) => (file: string) => path.resolve(file) === probePath || exists(file))(host.fileExists.bind(host));
  const program = ts.createProgram([probePath], parsed.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

async function lintInCore(source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: probePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the src/core boundary', () => {
  it('compiles plain core code', () => {
    expect(compileInCore('export const area = (w: number, h: number): number => w * h;\n')).toEqual([]);
  });

  it('is a compile error to touch the DOM', () => {
    const errors = compileInCore('export const title = document.title;\n');
    expect(errors.join('\n')).toMatch(/Cannot find name 'document'/);
  });

  it('is a lint error to import React, zustand, the UI or Node modules, or to use host globals', async () => {
    const messages = await lintInCore([
      "import { useState } from 'react';",
      "import { create } from 'zustand';",
      "import { App } from '../app/App';",
      "import { readFileSync } from 'node:fs';",
      'export const all = [useState, create, App, readFileSync, window.innerWidth];',
      '',
    ].join('\n'));
    expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(4);
    expect(messages.some((m) => m.startsWith('no-restricted-globals') && m.includes('window'))).toBe(true);
  });
});
