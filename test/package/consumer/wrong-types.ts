// Misuse the compiler must reject: proves the declarations carry real types, not `any`.
import { createConsentKit } from 'ats-consent';

await createConsentKit({ publicUrl: 42, partnerName: 'Wrong' });
