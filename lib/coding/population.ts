/**
 * A study's paper population: which imported papers belong to it (filters) and to which stratum
 * (venue normalisation), configured as data (data/codebooks/*-strata.yaml) so another study changes
 * venues, years and strata without code.
 *
 * Venue matching compares aliases as whole words in the lower-cased venue text with punctuation
 * removed ("ESEC/SIGSOFT FSE 2019" → "esec sigsoft fse 2019"). A venue text matching aliases of two
 * venues is excluded as ambiguous rather than guessed; the admin adds or narrows an alias.
 */
import { z } from "zod";
import { parseDefinitionFile, type DefinitionFileResult } from "@/lib/io/definition-file";

const venueSchema = z.strictObject({
  id: z.string().min(1),
  aliases: z.array(z.string().min(1)).min(1),
  /** Publication years included for this venue; absent = the population's year range decides. */
  years: z.array(z.number().int()).optional(),
});

/** The population definition file format. */
export const populationDefinitionSchema = z
  .strictObject({
    id: z.string().min(1),
    version: z.number().int().min(1),
    title: z.string().min(1),
    strata: z.array(z.strictObject({ id: z.string().min(1), label: z.string().min(1), venues: z.array(venueSchema).min(1) })).min(1),
    /** Venue texts containing any of these words are not papers of the main track (workshops, companions). */
    excludeVenuesMatching: z.array(z.string().min(1)).default([]),
    /** Papers whose track is one of these are excluded (e.g. posters when the population is oral papers). */
    excludeTracks: z.array(z.string().min(1)).default([]),
    yearRange: z.strictObject({ from: z.number().int(), to: z.number().int() }).optional(),
  })
  .superRefine((definition, context) => {
    const strata = new Set<string>();
    const venues = new Set<string>();
    definition.strata.forEach((stratum, stratumIndex) => {
      if (strata.has(stratum.id)) context.addIssue({ code: "custom", path: ["strata", stratumIndex, "id"], message: `stratum "${stratum.id}" repeats` });
      strata.add(stratum.id);
      stratum.venues.forEach((venue, venueIndex) => {
        if (venues.has(venue.id)) {
          context.addIssue({ code: "custom", path: ["strata", stratumIndex, "venues", venueIndex, "id"], message: `venue "${venue.id}" repeats` });
        }
        venues.add(venue.id);
      });
    });
    if (definition.yearRange && definition.yearRange.from > definition.yearRange.to) {
      context.addIssue({ code: "custom", path: ["yearRange", "from"], message: "from is after to" });
    }
  });
export type PopulationDefinition = z.output<typeof populationDefinitionSchema>;

/**
 * Reads and validates a population definition file.
 * @returns the definition or errors with line and column.
 */
export function parsePopulationDefinition(text: string): DefinitionFileResult<PopulationDefinition> {
  return parseDefinitionFile(text, populationDefinitionSchema);
}

/** The fields of a paper that population membership depends on. */
export type PopulationCandidate = { key: string; venue: string | null; year: number | null; track: string | null };

export type PopulationMember = { key: string; stratumId: string; venueId: string };
export type PopulationExclusion = { key: string; reason: string };
export type PopulationSummary = {
  members: PopulationMember[];
  excluded: PopulationExclusion[];
  /** Members per stratum and per venue, in definition order (zero counts included). */
  strata: { id: string; label: string; size: number; venues: { id: string; size: number }[] }[];
};

const normalizeWords = (text: string): string =>
  ` ${text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;

const containsPhrase = (normalizedText: string, phrase: string): boolean => normalizedText.includes(normalizeWords(phrase));

/**
 * Which venue of the definition a venue text names.
 * @returns the stratum and venue ids, or a reason it matched none or several.
 */
export function matchVenue(
  definition: PopulationDefinition,
  venueText: string | null,
): { ok: true; stratumId: string; venueId: string } | { ok: false; reason: string } {
  if (!venueText) return { ok: false, reason: "no venue" };
  const text = normalizeWords(venueText);
  const excludedWord = definition.excludeVenuesMatching.find((word) => containsPhrase(text, word));
  if (excludedWord) return { ok: false, reason: `venue "${venueText}" is a ${excludedWord}, not the main track` };
  const matches = definition.strata.flatMap((stratum) =>
    stratum.venues.filter((venue) => venue.aliases.some((alias) => containsPhrase(text, alias))).map((venue) => ({ stratumId: stratum.id, venueId: venue.id })),
  );
  const [only] = matches;
  if (!only) return { ok: false, reason: `venue "${venueText}" is none of the population's venues` };
  if (matches.length > 1) {
    return { ok: false, reason: `venue "${venueText}" matches several venues (${matches.map((match) => match.venueId).join(", ")}); narrow the aliases` };
  }
  return { ok: true, ...only };
}

/**
 * Sorts candidate papers into the population: venue → stratum, then the year and track filters.
 * Every paper ends up either a member or excluded with its reason.
 * @throws Error when two candidates share a key (keys identify papers in the sample and its provenance).
 */
export function buildPopulation(definition: PopulationDefinition, candidates: readonly PopulationCandidate[]): PopulationSummary {
  const members: PopulationMember[] = [];
  const excluded: PopulationExclusion[] = [];
  const keys = new Set<string>();
  const excludedTracks = new Set(definition.excludeTracks.map((track) => track.toLowerCase()));
  for (const candidate of candidates) {
    if (keys.has(candidate.key)) throw new Error(`paper key "${candidate.key}" appears twice in the candidates`);
    keys.add(candidate.key);
    const venue = matchVenue(definition, candidate.venue);
    if (!venue.ok) {
      excluded.push({ key: candidate.key, reason: venue.reason });
      continue;
    }
    const venueDefinition = definition.strata.flatMap((stratum) => stratum.venues).find((item) => item.id === venue.venueId);
    const yearProblem = checkYear(candidate.year, venueDefinition?.years, definition.yearRange, venue.venueId);
    if (yearProblem) {
      excluded.push({ key: candidate.key, reason: yearProblem });
      continue;
    }
    if (candidate.track && excludedTracks.has(candidate.track.toLowerCase())) {
      excluded.push({ key: candidate.key, reason: `track "${candidate.track}" is excluded` });
      continue;
    }
    members.push({ key: candidate.key, stratumId: venue.stratumId, venueId: venue.venueId });
  }
  const strata = definition.strata.map((stratum) => ({
    id: stratum.id,
    label: stratum.label,
    size: members.filter((member) => member.stratumId === stratum.id).length,
    venues: stratum.venues.map((venue) => ({ id: venue.id, size: members.filter((member) => member.venueId === venue.id).length })),
  }));
  return { members, excluded, strata };
}

function checkYear(
  year: number | null,
  venueYears: readonly number[] | undefined,
  range: { from: number; to: number } | undefined,
  venueId: string,
): string | null {
  if (!venueYears && !range) return null;
  if (year === null) return "no year, and the population is limited by year";
  if (venueYears && !venueYears.includes(year)) return `${venueId} ${year} is outside the population (${venueId} ${venueYears.join(", ")})`;
  if (range && (year < range.from || year > range.to)) return `year ${year} is outside ${range.from}–${range.to}`;
  return null;
}
