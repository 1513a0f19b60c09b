/**
 * Root finding for interval limits that have no closed form (mid-p, likelihood ratio, score intervals
 * for a difference). Bisection is slow but cannot fail on a bracketed monotone function, and 200 halvings
 * of a [0, 1] bracket reach the resolution of a double long before the loop ends.
 */

/**
 * Finds x in [low, high] with f(x) = 0 by bisection, assuming f(low) and f(high) have opposite signs
 * (or one of them is 0).
 * @param f a continuous function on [low, high].
 * @param low, high the bracket; units are those of x.
 * @returns the root to within ~1e-15·|x| (the bracket is halved until it stops shrinking).
 * @throws Error (a programming error, not user input) when the bracket does not change sign.
 */
export function bisect(f: (x: number) => number, low: number, high: number): number {
  let fLow = f(low);
  const fHigh = f(high);
  if (fLow === 0) return low;
  if (fHigh === 0) return high;
  if (Math.sign(fLow) === Math.sign(fHigh)) {
    throw new Error(`bisect: no sign change on [${low}, ${high}] (f = ${fLow}, ${fHigh})`);
  }
  let a = low;
  let b = high;
  for (let iteration = 0; iteration < 200; iteration++) {
    const middle = (a + b) / 2;
    if (middle === a || middle === b) break;
    const fMiddle = f(middle);
    if (fMiddle === 0) return middle;
    if (Math.sign(fMiddle) === Math.sign(fLow)) {
      a = middle;
      fLow = fMiddle;
    } else {
      b = middle;
    }
  }
  return (a + b) / 2;
}
