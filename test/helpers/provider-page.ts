/**
 * Drives a fake provider's sign-in + approve page (TE Recruit, CareerPlug, Total Expert fakes).
 */
import type { Page } from 'playwright-core';
import { PROVIDER_USERS } from '../../demo/provider-fakes.js';

export type ProviderId = keyof typeof PROVIDER_USERS;

export async function approveAtProvider(page: Page, provider: ProviderId): Promise<void> {
  await page.getByLabel('Username').fill(PROVIDER_USERS[provider].username);
  await page.getByLabel('Password').fill(PROVIDER_USERS[provider].password);
  await page.getByRole('button', { name: 'Authorize' }).click();
}
