// An error's message and detail lines reach the console (and `meta.error`) too: a container's last
// log lines, printed when it dies, can hold the run's secrets. Masks them in place, by the same
// rules as the reports.
import { isSmokestackError } from '../errors.js';

export function maskError<E>(error: E, mask: (text: string) => string): E {
  if (error instanceof Error) error.message = mask(error.message);
  if (isSmokestackError(error)) {
    const details = error.details as string[];
    for (let i = 0; i < details.length; i++) details[i] = mask(details[i]!);
  }
  return error;
}
