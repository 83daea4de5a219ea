/**
 * A disabled button must read as disabled in both themes. Dimming alone did on the light theme (it fades to
 * white) but not on the dark one, where a dimmed blue button was just a darker blue button. Measured on the
 * pixels the user sees (element screenshots), not on the CSS that makes them, for one disabled and one enabled
 * button of each kind: primary (accent fill) and secondary (accent text).
 */
import { decode } from 'fast-png';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

type Rgb = readonly [number, number, number];

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** How coloured (not grey) a colour is: 0 for a grey, 255 for a pure hue. */
function chroma(c: Rgb): number {
  return Math.max(...c) - Math.min(...c);
}

/** The button as painted: its fill (the most frequent colour) and its text (the pixel that stands out most from the fill). */
async function painted(button: Locator): Promise<{ fill: Rgb; text: Rgb; contrast: number }> {
  const png = decode(await button.screenshot({ animations: 'disabled' }));
  const pixels: Rgb[] = [];
  for (let i = 0; i < png.width * png.height; i++) {
    const at = i * png.channels;
    pixels.push([png.data[at] as number, png.data[at + 1] as number, png.data[at + 2] as number]);
  }
  const counts = new Map<string, number>();
  for (const p of pixels) counts.set(p.join(), (counts.get(p.join()) ?? 0) + 1);
  const fill = [...counts].sort((a, b) => b[1] - a[1])[0]![0].split(',').map(Number) as unknown as Rgb;
  const text = pixels.reduce((best, p) => (contrast(p, fill) > contrast(best, fill) ? p : best), fill);
  return { fill, text, contrast: contrast(fill, text) };
}

test('disabled buttons stand apart from enabled ones in the dark and the light theme', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const studio = new StudioPage(page);
  await studio.open('wasm');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.getByRole('status', { name: 'Data summary' })).toContainText('4 slices, 3 labelled');
  const themeButton = page.getByRole('button', { name: 'Light theme' });

  for (const theme of ['dark', 'light'] as const) {
    if (theme === 'light') await themeButton.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

    // Primary buttons: no prediction yet, so the mask exports are disabled; the example's labels export.
    const model = await studio.openStep('Model and exports');
    const disabledPrimary = model.getByRole('button', { name: 'Export masks (TIFF)' });
    const enabledPrimary = model.getByRole('button', { name: 'Export labels (TIFF)' });
    await expect(disabledPrimary).toBeDisabled();
    await expect(enabledPrimary).toBeEnabled();
    const off = await painted(disabledPrimary);
    const on = await painted(enabledPrimary);
    console.info(`[disabled buttons] ${theme} primary: enabled fill ${on.fill.join()} text ${on.text.join()} contrast ${on.contrast.toFixed(2)}; disabled fill ${off.fill.join()} text ${off.text.join()} contrast ${off.contrast.toFixed(2)}`);
    expect(chroma(on.fill), `${theme}: the enabled button's fill is the accent`).toBeGreaterThan(100);
    // The accent's hue is what says "click me": a disabled button keeps none of it (a dimmed blue is still blue).
    expect(chroma(off.fill), `${theme}: the disabled button's fill is grey`).toBeLessThan(20);
    expect(off.contrast, `${theme}: the disabled button's text stands out less`).toBeLessThan(on.contrast - 1);
    expect(await disabledPrimary.evaluate((el) => getComputedStyle(el).cursor)).toBe('not-allowed');
    expect(await enabledPrimary.evaluate((el) => getComputedStyle(el).cursor)).toBe('pointer');

    // No hover effect on a disabled button.
    const box = await disabledPrimary.boundingBox();
    if (!box) throw new Error('Export masks (TIFF) is not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect((await painted(disabledPrimary)).fill).toEqual(off.fill);
    await page.mouse.move(0, 0);

    // Secondary buttons (accent text on a plain fill): Pause with no run, against the theme switch beside it.
    const train = await studio.openStep('Train');
    const disabledSecondary = train.getByRole('button', { name: 'Pause' });
    await expect(disabledSecondary).toBeDisabled();
    await expect(themeButton).toBeEnabled();
    const offText = (await painted(disabledSecondary)).text;
    const onText = (await painted(themeButton)).text;
    console.info(`[disabled buttons] ${theme} secondary: enabled text ${onText.join()}; disabled text ${offText.join()}`);
    expect(chroma(onText), `${theme}: the enabled secondary's text is the accent`).toBeGreaterThan(80);
    expect(chroma(offText), `${theme}: the disabled secondary's text is grey`).toBeLessThan(20);
  }
});
