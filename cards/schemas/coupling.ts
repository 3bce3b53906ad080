import { z } from 'zod';
import { SyncAfterCoupling } from '../../core/model/mapping.js';
import { Facts, Id, LinkUrl, RecordLinks, ShortText, Text, When } from './common.js';

/** The BC record a card is about; `mapping` + `bcId` + `number` travel back in action data. */
const RecordRef = {
  mapping: Id,
  bcTable: ShortText,
  bcId: Id,
  number: Id,
  name: ShortText,
};

const syncResultText = (r: 'Success' | 'Failure' | null): string => r ?? 'Not synchronized yet';

/** Named like core's Coupling, so the bot can spread a coupling and add the Dataverse side's name. */
const CouplingView = z
  .object({
    dvTable: ShortText,
    dvName: ShortText,
    dvId: Id,
    coupledBy: ShortText,
    coupledAt: When,
    lastSyncedAt: When.nullable().default(null),
    lastSyncResultBc: z.enum(['Success', 'Failure']).nullable().default(null),
    lastSyncResultDv: z.enum(['Success', 'Failure']).nullable().default(null),
    skipped: z.boolean().default(false),
  })
  .transform((c) => ({
    ...c,
    lastSyncedAt: c.lastSyncedAt ?? 'Never',
    lastSyncResultBc: syncResultText(c.lastSyncResultBc),
    lastSyncResultDv: syncResultText(c.lastSyncResultDv),
  }));

export const RecordCardData = z.object({
  ...RecordRef,
  /** Key fields of the record, as BC shows them ("Phone No.", "City"). */
  fields: Facts.default([]),
  coupling: CouplingView.nullable(),
  /** Open in Business Central / Open in Dataverse (HTTP connectors only). */
  links: RecordLinks,
  /** Which buttons apply; core decides (coupled or not, direction, role). */
  actions: z
    .object({
      setUpCoupling: z.boolean().default(false),
      synchronizeNow: z.boolean().default(false),
      deleteCoupling: z.boolean().default(false),
    })
    .default({ setUpCoupling: false, synchronizeNow: false, deleteCoupling: false }),
});
export type RecordCardData = z.input<typeof RecordCardData>;

/** Set Up Coupling shows at most this many candidates (issue 3). */
export const MAX_CANDIDATES = 15;

const Candidate = z
  .object({
    dvId: Id,
    name: ShortText,
    /** Key columns of the row, by caption ("E-Mail", "Phone No."), not column name. */
    keyColumns: Facts.default([]),
    /** Why it is a candidate: "Same name", "Same phone number". */
    reason: ShortText.default(''),
    /** Text of the BC record this row is already coupled to, or '' when free. */
    alreadyCoupledTo: ShortText.default(''),
    /** Open in Dataverse (HTTP connectors only). */
    dvLink: LinkUrl,
  })
  .transform((c) => ({
    ...c,
    keysText: c.keyColumns.map((k) => `${k.title}: ${k.value}`).join(' · '),
    coupled: c.alreadyCoupledTo !== '',
  }));

export const SetUpCouplingCardData = z.object({
  ...RecordRef,
  dvTable: ShortText,
  /** The record's key fields, for recognising it. */
  summary: Facts.default([]),
  /** Open in Business Central for the record (HTTP connectors only). */
  bcLink: LinkUrl,
  /** Best first; the bot passes them in the order core ranked them. */
  candidates: z.array(Candidate).max(MAX_CANDIDATES),
  syncAfterCoupling: SyncAfterCoupling.default('No'),
  canCreateNew: z.boolean(),
  /** What the candidates were searched by, e.g. "name, number, e-mail, phone". */
  searchedBy: ShortText.default('name, number, e-mail or phone'),
  note: Text.default(''),
});
export type SetUpCouplingCardData = z.input<typeof SetUpCouplingCardData>;
