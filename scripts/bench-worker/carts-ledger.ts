// The carts bench's sampler (bench entry only): one SQL statement, so one consistent snapshot of D1, per
// sample. Per sku: what no cart holds (quantity), what carts hold (held, and the sum of their lines, live
// and expired at `now`), units in placed orders (sold) and the sum of every stock change (restocked).

export interface SkuLedger { sku: number; quantity: number; held: number; lines: number; live: number; sold: number; restocked: number }

const LEDGER = `
WITH ids(id) AS (SELECT value FROM json_each(?1)),
sold AS (SELECT l.sku_id, sum(l.quantity) AS n FROM order_lines AS l JOIN orders AS o ON o.id = l.order_id
         WHERE o.status = 'placed' AND l.sku_id IN (SELECT id FROM ids) GROUP BY l.sku_id),
restocked AS (SELECT sku_id, sum(delta) AS n FROM stock_changes WHERE sku_id IN (SELECT id FROM ids) GROUP BY sku_id),
lines AS (SELECT sku_id, sum(quantity) AS n, sum(CASE WHEN expires_at > ?2 THEN quantity ELSE 0 END) AS live
          FROM cart_items WHERE sku_id IN (SELECT id FROM ids) GROUP BY sku_id)
SELECT k.id AS sku, k.quantity, k.held, coalesce(i.n, 0) AS lines, coalesce(i.live, 0) AS live,
       coalesce(s.n, 0) AS sold, coalesce(r.n, 0) AS restocked
FROM skus AS k LEFT JOIN lines AS i ON i.sku_id = k.id LEFT JOIN sold AS s ON s.sku_id = k.id
  LEFT JOIN restocked AS r ON r.sku_id = k.id
WHERE k.id IN (SELECT id FROM ids) ORDER BY k.id`;

export async function readLedger(db: D1Database, skus: number[], now = Date.now()): Promise<SkuLedger[]> {
  return (await db.prepare(LEDGER).bind(JSON.stringify(skus), new Date(now).toISOString()).all<SkuLedger>()).results;
}

/** What stays constant per sku whatever happens: on hand + sold − every stock change made. */
export const conserved = (l: SkuLedger) => l.quantity + l.held + l.sold - l.restocked;

/**
 * The invariants of one sample, as sentences for what broke (none: it held): on hand = available + held
 * ≥ 0, where available is what a new buyer can take at the serializer's clock (quantity + the expired
 * lines no sweep has removed yet) and held is the live lines; held matches its lines; and sold + on hand
 * = the starting stock + restocks (`base`, from conserved() at the start).
 */
export function violations(sample: SkuLedger[], base: Map<number, number>): string[] {
  return sample.flatMap((l) => {
    const onHand = l.quantity + l.held, available = l.quantity + (l.lines - l.live), held = l.live;
    const broken: string[] = [];
    if (l.quantity < 0 || l.held < 0 || available < 0 || held < 0) broken.push(`sku ${l.sku}: a negative count (${JSON.stringify(l)})`);
    if (l.held !== l.lines) broken.push(`sku ${l.sku}: held ${l.held} but its cart lines hold ${l.lines}`);
    if (onHand !== available + held) broken.push(`sku ${l.sku}: on hand ${onHand} ≠ available ${available} + held ${held}`);
    if (conserved(l) !== base.get(l.sku)) broken.push(`sku ${l.sku}: sold + on hand − restocks = ${conserved(l)}, was ${base.get(l.sku)}`);
    return broken;
  });
}
