import { expect } from 'vitest'
import { checkAccessibility, screenshot, test } from '../support/browser.ts'

test('the home page renders its heading with no browser errors and no serious accessibility violation', async ({ page }) => {
  await page.goto('/')

  await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1)
  await checkAccessibility(page)
  await screenshot(page, 'home')
})
