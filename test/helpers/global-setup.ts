/**
 * Builds the widget bundle once before any test: the kit serves it and the browser tests load it.
 */
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ logLevel: 'warn', configFile: 'vite.config.ts' });
}
