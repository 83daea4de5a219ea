/** The page's colour theme: dark by default (microscopy images read best on a dark surround), light as an option. */
export type Theme = 'dark' | 'light';

const KEY = 'unet-studio-theme';

/** The theme the user chose last in this browser (dark when never chosen, or when storage is unavailable). */
export function storedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/** Applies a theme to the document (CSS custom properties switch on data-theme) and remembers it. */
export function applyTheme(theme: Theme, remember = true): void {
  document.documentElement.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', theme === 'dark' ? '#15181e' : '#f5f6f8');
  if (!remember) return;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private modes may refuse storage: the theme still applies to this visit.
  }
}
