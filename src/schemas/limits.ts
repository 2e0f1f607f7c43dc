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

// API.md: control characters (U+0000-U+001F, U+007F) are refused in every text field, except tab and
// line breaks (\t \n \r) in descriptions. They are nothing a shopper should be shown, and a NUL once made
// a backup unrestorable (issue 21). Search text is the exception: there they count as spaces.
export const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
/** Whole strings (the OpenAPI document shows these patterns). */
export const NO_CONTROL_CHARACTERS = /^[^\x00-\x1f\x7f]*$/;
export const NO_CONTROL_CHARACTERS_BUT_TAB_OR_LINE_BREAK = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/;
