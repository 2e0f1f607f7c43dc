// Bounds of admin input that the importer (scripts/lib/import-values.ts) applies too, so an imported
// catalog holds nothing an admin could not have typed in. No imports: scripts read this file as is.

export const MAX_URL_LENGTH = 2000;
export const MAX_STOCK = 1_000_000;
