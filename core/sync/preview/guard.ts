import { DomainError, ErrorCode } from '../../errors.js';

/**
 * A preview must write nothing. A port or repository it gets is wrapped so that the reads it names go
 * to the real one, the writes it names are simulated, and anything else — a method added later, say —
 * stops the preview instead of reaching the store or a system.
 */
export class DryRunLeak extends DomainError {
  override readonly name = 'DryRunLeak';
  constructor(readonly what: string) {
    super(
      ErrorCode.Conflict,
      `The preview stopped before writing anything: ${what} would write, and a preview never writes.`,
    );
  }
}

export function guarded<T extends object>(
  name: string,
  real: T,
  reads: ReadonlyArray<keyof T>,
  writes: Partial<T>,
): T {
  const allowed = new Set<PropertyKey>(reads);
  return new Proxy(real, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(writes, prop)) return writes[prop as keyof T];
      if (allowed.has(prop)) {
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      // An optional method the real one lacks stays absent, so callers still see it is not there.
      if (typeof prop === 'symbol' || prop === 'then' || !(prop in target)) return undefined;
      return () => {
        throw new DryRunLeak(`${name}.${prop}`);
      };
    },
  });
}

/** A dependency the preview does not know (added after it was written): every call of it stops the preview. */
export function sealed<T extends object>(name: string, real: T): T {
  return guarded(name, real, [], {});
}
