/**
 * Two tabs of the studio in one browser: the first keeps the saved project; the second says
 * autosave is off there (they would overwrite each other), asks before closing once labels were
 * painted there, and gets the project once the first is closed: on reload, or by itself when the first
 * closes while the second still waits for it (a closing tab lets go of the project only when its page
 * is torn down, seconds after a big slice).
 */
import { expect, test } from './fixtures';
import { StudioPage } from './pages/StudioPage';

test('a second tab does not autosave over the first, says why, and asks before its painted labels are lost', async ({ page }) => {
  const autosave = (p: typeof page) => p.getByRole('status', { name: 'Autosave' });
  await page.goto('./?test-hooks');
  await expect(autosave(page)).not.toHaveAttribute('data-persistence', 'restoring');

  const second = await page.context().newPage();
  const secondStudio = new StudioPage(second);
  await secondStudio.open('wasm');
  // The second tab waits a while for the project (the first might be closing), then says why not.
  await expect(autosave(second)).toHaveAttribute('data-persistence', 'unavailable', { timeout: 30_000 });
  await expect(autosave(second)).toContainText('Autosave is off in this tab: the studio is open in another tab');
  await expect(autosave(page)).not.toHaveAttribute('data-persistence', 'unavailable');

  // Labels painted in the second tab cannot be kept: closing it asks first, and "Stay" keeps the tab.
  await second.getByRole('button', { name: 'Load example' }).click();
  await second.getByRole('radio', { name: 'Brush' }).click();
  await secondStudio.drag([0.3, 0.3], [0.6, 0.6]);
  const asked: string[] = [];
  second.once('dialog', (dialog) => { asked.push(dialog.type()); void dialog.dismiss(); });
  await second.close({ runBeforeUnload: true });
  await expect.poll(() => asked).toEqual(['beforeunload']);
  expect(second.isClosed()).toBe(false);
  second.once('dialog', (dialog) => void dialog.accept());
  await second.close({ runBeforeUnload: true });
  await expect.poll(() => second.isClosed()).toBe(true);

  // Close the first tab: after a reload the next one owns the project.
  const third = await page.context().newPage();
  await third.goto('./?test-hooks');
  await expect(autosave(third)).toHaveAttribute('data-persistence', 'unavailable', { timeout: 30_000 });
  await page.close();
  await third.reload();
  await expect(autosave(third)).not.toHaveAttribute('data-persistence', /restoring|unavailable/);

  // A tab opened while the owner is still open, which then closes: the new tab takes the project without a reload.
  const fourth = await third.context().newPage();
  await fourth.goto('./?test-hooks');
  await expect(autosave(fourth)).toHaveAttribute('data-persistence', 'restoring'); // waiting for the lock
  await third.close();
  await expect(autosave(fourth)).not.toHaveAttribute('data-persistence', /restoring|unavailable/, { timeout: 15_000 });
  await fourth.close();
});
