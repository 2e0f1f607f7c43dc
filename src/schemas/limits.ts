// Bounds of admin input that the importer (scripts/lib/import-values.ts, import-rules.ts) applies too, so an imported
// catalog holds nothing an admin could not have typed in. No imports: scripts read this file as is.

export const MAX_URL_LENGTH = 2000;
export const MAX_STOCK = 1_000_000;
/** What a sku may hold after admin stock changes (API.md): a delta that would go past it is 400. */
export const MAX_ON_HAND = 1_000_000_000;

/** [min, max] characters of each admin text field, after trimming (min 0: may be empty). */
export const TEXT_LENGTH = {
  name: [1, 200], slogan: [0, 500], description: [0, 5000], category: [1, 100],
  feature: [1, 200], featureValue: [0, 200], size: [1, 20],
} as const satisfies Record<string, readonly [number, number]>;
