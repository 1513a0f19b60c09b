/**
 * Okabe–Ito colours (Okabe & Ito 2008): distinguishable with the common colour-vision deficiencies.
 * Yellow is left out of the order because it is too light against white for thin bars and text.
 */
export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"] as const;

/** The colour of series i (cycling). */
export const seriesColour = (index: number): string => OKABE_ITO[index % OKABE_ITO.length]!;
