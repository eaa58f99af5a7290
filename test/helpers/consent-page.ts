/**
 * Page-object helpers for driving `<ats-consent>` in Chromium. Playwright's CSS locators pierce
 * shadow roots, so the widget's internals are reached by role and label like a user would.
 */
import type { Frame, Page } from 'playwright-core';
import { DEMO_PASSWORDS } from '../../demo/users.js';

export type Surface = Page | Frame;

export async function signIn(surface: Surface, username = 'admin@acme.test'): Promise<void> {
  await surface.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
  await surface.getByLabel('Email').fill(username);
  await surface.getByLabel('Password').fill(DEMO_PASSWORDS[username]!);
  await surface.getByRole('button', { name: 'Sign in' }).click();
  await surface.getByRole('heading', { name: 'Connect to SmartRecruiters?' }).waitFor();
}

/** Clicks Approve the way a person does: the pointer moves onto it first (T9 guard). */
export async function approve(surface: Surface): Promise<void> {
  const button = surface.getByRole('button', { name: 'Approve' });
  await button.hover();
  await button.click({ timeout: 5_000 });
}
