import type { BcTable } from '../model/tables.js';

/**
 * BC record ids by number, remembered from earlier reads (least recently used forgotten first). A
 * record's id never changes, so a remembered one lets a record card read the record and its coupling
 * side by side instead of one after the other. A number renamed or given to another record is noticed
 * when the record read answers with a different id; the coupling is then read for the right one.
 */
export class RecordIds {
  private readonly ids = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get(table: BcTable, number: string): string | undefined {
    const key = `${table}\u0000${number}`;
    const id = this.ids.get(key);
    if (id !== undefined) {
      this.ids.delete(key);
      this.ids.set(key, id);
    }
    return id;
  }

  remember(table: BcTable, number: string, id: string): void {
    const key = `${table}\u0000${number}`;
    this.ids.delete(key);
    if (this.ids.size >= this.max) this.ids.delete(this.ids.keys().next().value as string);
    this.ids.set(key, id);
  }

  forget(table: BcTable, number: string): void {
    this.ids.delete(`${table}\u0000${number}`);
  }
}
