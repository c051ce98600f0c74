/**
 * How many cases a property test (fast-check) runs. Each property states its full count, sized for
 * `npm test`, through this one helper:
 *
 *   fc.assert(fc.property(...), { numRuns: numRuns(3000) });
 *
 * `npm run test:quick` (scripts/run-tests.mjs --quick sets BOARDMAP_TEST_QUICK=1) runs a tenth of
 * each count, at least 10 (or the full count when it is smaller). BOARDMAP_PROPERTY_SCALE=N
 * multiplies every full count, for a longer search by hand (BOARDMAP_PROPERTY_SCALE=10 npm test).
 */

/** True under `npm run test:quick`. */
export const QUICK = process.env.BOARDMAP_TEST_QUICK === '1';

/** The fraction of each full count the quick suite runs. */
export const QUICK_FRACTION = 0.1;

const scale = Number(process.env.BOARDMAP_PROPERTY_SCALE || '1');
if (!(scale > 0))
  throw new Error(`BOARDMAP_PROPERTY_SCALE must be a positive number, not ${scale}`);

/** True when every property runs at least its full count (a check of the total holds only then). */
export const FULL_COUNTS = !QUICK && scale >= 1;

/** The number of cases to run for a property whose full count is `full`. */
export function numRuns(full: number): number {
  const n = Math.max(1, Math.round(full * scale));
  return QUICK ? Math.max(Math.min(n, 10), Math.round(n * QUICK_FRACTION)) : n;
}
