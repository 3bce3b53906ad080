import { DomainError, ErrorCode, isDomainError } from '../errors.js';

/**
 * Removes a record created for a coupling that did not happen, so a failed Create New leaves no
 * orphan. Already gone is fine; a removal that fails is said plainly, naming what to delete by hand.
 */
export async function takeBack(
  what: string,
  system: 'Business Central' | 'Dataverse',
  remove: () => Promise<void>,
): Promise<void> {
  try {
    await remove();
  } catch (e) {
    if (isDomainError(e) && e.code === ErrorCode.NotFound) return;
    throw new DomainError(
      ErrorCode.ConnectorFailed,
      `${what} could not be removed again; delete it in ${system}.`,
      {
        cause: e,
      },
    );
  }
}
