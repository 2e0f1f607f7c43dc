// D1 reports constraint failures only through the error message; these are the ones the API expects.
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const isStockCheckFailure = (err: unknown) => /CHECK constraint failed: skus_quantity_non_negative/.test(messageOf(err));
/** A write named a parent row that isn't there (e.g. a style for a product deleted meanwhile). */
export const isForeignKeyFailure = (err: unknown) => /FOREIGN KEY constraint failed/.test(messageOf(err));
/** Any constraint (CHECK, UNIQUE, NOT NULL, FOREIGN KEY): the batch was refused whole, nothing applied. */
export const isConstraintFailure = (err: unknown) => /constraint failed/i.test(messageOf(err));
