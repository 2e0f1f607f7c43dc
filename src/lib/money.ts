// Money crosses the API as a decimal string with two places ("140.00") and is stored as integer cents.
// Parsing is done on the string, never through a float, so "0.1" + "0.2" can't drift.
// At most 99,999,999.99: a 50-line order of 1,000 each still totals below 2^53 cents.

export const MONEY_PATTERN = /^(0|[1-9]\d{0,7})(?:\.(\d{1,2}))?$/;

/** Cents for a money string like "140", "140.5" or "140.00"; null when it isn't one. */
export function parseMoney(text: string): number | null {
  const match = MONEY_PATTERN.exec(text);
  if (!match) return null;
  const cents = (match[2] ?? "").padEnd(2, "0");
  return Number(match[1]) * 100 + Number(cents);
}

/** Cents as a money string, formatted inside SQLite, for JSON built by a query (see src/db/read-queries.ts). */
export const sqlMoney = (column: string) => `printf('%d.%02d', ${column} / 100, ${column} % 100)`;
