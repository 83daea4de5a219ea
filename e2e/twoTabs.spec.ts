/**
 * Two tabs of the studio in one browser: the first keeps the saved project; the second says
 * autosave is off there (they would overwrite each other) and gets it once the first is closed.
 */
import { expect, test } from './fixtures';

test('a second tab does not autosave over the first, and says why', async ({ page }) => {
  const autosave = (p: typeof page) => p.getByRole('status', { name: 'Autosave' });
  await page.goto('./?test-hooks');
  await expect(autosave(page)).not.toHaveAttribute('data-persistence', 'restoring');

  const second = await page.context().newPage();
  await second.goto('./?test-hooks');
  await expect(autosave(second)).toHaveAttribute('data-persistence', 'unavailable');
  await expect(autosave(second)).toContainText('Autosave is off in this tab: the studio is open in another tab');
  await expect(autosave(page)).not.toHaveAttribute('data-persistence', 'unavailable');

  // Close the first tab: after a reload the second one owns the project.
  await page.close();
  await second.reload();
  await expect(autosave(second)).not.toHaveAttribute('data-persistence', /restoring|unavailable/);
  await second.close();
});
