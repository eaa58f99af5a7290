/**
 * The partner's package catalogue over Kysely (issue 14 item 2: `PUT /assessment/packages`). A
 * write is conditional on the version the writer read (`If-Match`), so two writers cannot silently
 * overwrite each other: the second learns it lost instead.
 */
import type { Kysely } from 'kysely';
import { asNumbers } from './bigint-columns.js';
import type { Database } from './schema.js';
import { DEFAULT_PACKAGES_SCOPE, type PartnerPackagesRow, type PartnerPackageStore } from './store.js';
import { updatedOne } from './updated-one.js';

export class KyselyPackages implements PartnerPackageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(scope: string): Promise<PartnerPackagesRow | undefined> {
    const row = await this.db.selectFrom('partner_packages').selectAll().where('company_id', '=', scope).executeTakeFirst();
    return row && normalize(row);
  }

  async effective(companyId: string): Promise<PartnerPackagesRow | undefined> {
    // One read for both rows: SR's package list is on its 15 s clock.
    const rows = await this.db.selectFrom('partner_packages').selectAll().where('company_id', 'in', [companyId, DEFAULT_PACKAGES_SCOPE]).execute();
    const row = rows.find((candidate) => candidate.company_id === companyId) ?? rows.find((candidate) => candidate.company_id === DEFAULT_PACKAGES_SCOPE);
    return row && normalize(row);
  }

  async put(scope: string, packages: string, expectedVersion: number | null, now: number): Promise<PartnerPackagesRow | undefined> {
    if (expectedVersion === 0 || expectedVersion === null) {
      // The first catalogue of this scope: the insert is the check (two creators: one wins).
      const inserted = await this.db
        .insertInto('partner_packages')
        .values({ company_id: scope, packages, version: 1, updated_at: now })
        .onConflict((oc) => oc.column('company_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { company_id: scope, packages, version: 1, updated_at: now };
      if (expectedVersion === 0) return undefined;
    }
    for (;;) {
      const current = expectedVersion ?? (await this.find(scope))?.version;
      if (current === undefined) return undefined;
      const written = updatedOne(
        await this.db
          .updateTable('partner_packages')
          .set({ packages, version: current + 1, updated_at: now })
          .where('company_id', '=', scope)
          .where('version', '=', current)
          .executeTakeFirst(),
      );
      if (written) return { company_id: scope, packages, version: current + 1, updated_at: now };
      // Unconditional writes (no If-Match) retry against the newer version; conditional ones lost.
      if (expectedVersion !== null) return undefined;
    }
  }
}

function normalize(row: PartnerPackagesRow): PartnerPackagesRow {
  return asNumbers(row, ['version', 'updated_at'] as const);
}
