/**
 * The fake providers' ids (TE Recruit, CareerPlug, Total Expert), for tests that name one.
 * Driving a provider's sign-in page is engine-suite.ts's `approveAtProvider`.
 */
import { PROVIDER_USERS } from '../../demo/provider-fakes.js';

export type ProviderId = keyof typeof PROVIDER_USERS;
