import { useState } from 'react';
import type { Theme } from '../theme';
import { applyTheme, storedTheme } from '../theme';

/** Dark (the default: microscopy reads best on a dark surround) or light; remembered in this browser. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="secondary top-bar-button" aria-pressed={theme === 'light'} title={`Switch to the ${next} theme`}
      onClick={() => { applyTheme(next); setTheme(next); }}>
      Light theme
    </button>
  );
}
