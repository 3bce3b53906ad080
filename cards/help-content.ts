/**
 * What `help` lists. The bot may pass its own groups (e.g. built from its command table); these are
 * the defaults so the help card is complete without that.
 */
export interface HelpCommand {
  example: string;
  description: string;
  managerOnly?: boolean;
}
export interface HelpGroup {
  title: string;
  /** Shown only when the sandbox connectors are in use. */
  sandboxOnly?: boolean;
  commands: HelpCommand[];
}

export const DEFAULT_HELP_GROUPS: HelpGroup[] = [
  {
    title: 'Coupling',
    commands: [
      {
        example: 'show customer 10000',
        description: 'The record, its coupling, last sync result and actions',
      },
      {
        example: 'couple customer 10000',
        description: 'Set Up Coupling: pick a Dataverse row or Create New',
      },
      {
        example: 'couple customer 10000 to account "Adatum Corporation"',
        description: 'Couple directly to a Dataverse row (id or exact name)',
      },
      { example: 'couple account <id>', description: 'Couple starting from the Dataverse row' },
      { example: 'uncouple customer 10000 20000', description: 'Delete Coupling for one or more records' },
      {
        example: 'uncouple all customers',
        description: 'Delete Couplings for the whole table mapping',
        managerOnly: true,
      },
    ],
  },
  {
    title: 'Synchronization',
    commands: [
      {
        example: 'sync customer 10000',
        description: 'Synchronize Now; choose the direction when there is a choice',
      },
      { example: 'sync customer 10000..30000', description: 'Synchronize a range or a list of records' },
      { example: 'sync customers modified', description: 'Synchronize Modified Records of a table mapping' },
      { example: 'sync customers all', description: 'Full synchronization of a table mapping' },
      {
        example: 'sync customers all preview',
        description:
          'What a run would do, written nowhere; Run for real from the card (also modified, uncouple all)',
      },
      {
        example: 'cancel job <id>',
        description: 'Stop a running job after its current batch (or cancel last: your latest)',
      },
      {
        example: 'undo job <id>',
        description: 'Undo what a job changed, within 7 days (or undo last: your latest)',
      },
    ],
  },
  {
    title: 'Match-Based Coupling',
    commands: [
      {
        example: 'match customers',
        description: 'Set the match criteria, run, review the proposed couplings',
      },
      {
        example: 'match customers 10000..30000',
        description:
          'The same for some records only: numbers, ranges, or modified (since the last approved run)',
      },
      {
        example: 'Approve all / Approve selected / Reject',
        description: 'On the results card',
        managerOnly: true,
      },
      {
        example: 'import accounts + CSV file',
        description: 'Insert rows into Dataverse, then offer matching',
        managerOnly: true,
      },
    ],
  },
  {
    title: 'Mappings',
    commands: [
      {
        example: 'mappings',
        description: 'Table mappings: direction, filters, conflict settings, fields, availability',
      },
      { example: 'mapping customers', description: 'One table mapping: its settings and field mappings' },
      {
        example: 'mapping customers direction bidirectional',
        description: 'Change the direction of a table mapping',
        managerOnly: true,
      },
      {
        example: 'mapping customers sync-only-coupled off',
        description: 'Switch Synch. Only Coupled Records on or off',
        managerOnly: true,
      },
      {
        example: 'mapping customers update-conflicts send',
        description: 'Resolve Update Conflicts: none, send (Business Central wins) or get (Dataverse wins)',
        managerOnly: true,
      },
      {
        example: 'mapping customers deletion-conflicts remove-coupling',
        description: 'Resolve Deletion Conflicts: none, restore (Restore Records) or remove-coupling',
        managerOnly: true,
      },
      {
        example: 'mapping customers reset',
        description: 'Reset a table mapping to its defaults',
        managerOnly: true,
      },
    ],
  },
  {
    title: 'Jobs & errors',
    commands: [
      { example: 'status customers', description: 'Recent synchronization, coupling and uncoupling jobs' },
      { example: 'errors customers', description: 'Coupled Data Synchronization Errors with their actions' },
      {
        example: 'errors customers recurring',
        description: 'Only records that fail the same way run after run, or change on both sides every run',
      },
      {
        example: 'check connection',
        description: 'Token, one read from Business Central and Dataverse, MongoDB ping, with latencies',
        managerOnly: true,
      },
    ],
  },
  {
    title: 'Sandbox',
    sandboxOnly: true,
    commands: [
      { example: 'sandbox edit customer 10000 phone="+1 425 555 0100"', description: 'Edit a BC record' },
      {
        example: 'sandbox edit account "Adatum Corporation" telephone1="+1 425 555 0199"',
        description: 'Edit a Dataverse row',
      },
      { example: 'sandbox add account name="Fabrikam Ltd"', description: 'Add a Dataverse row' },
      { example: 'sandbox delete account <id>', description: 'Delete a Dataverse row' },
      {
        example: 'sandbox reset',
        description: 'Restore the demo data, uncoupling everything',
        managerOnly: true,
      },
    ],
  },
];
