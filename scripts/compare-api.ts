// `npm run compare:api -- --a STATE --b STATE`: serves two local states side by side and asks both the same
// random sample of API questions (products, styles, related ids, search pages), comparing status, ETag and
// body byte for byte. Made to prove that the --emit-sql files, applied with `npm run import:apply -- --local`,
// give the database a direct import gives (docs/import.md, "Remote D1"); it works for any two states.
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { serve, type Served } from "./lib/serve-child";

const USAGE = `Usage: npm run compare:api -- --a STATE --b STATE [options]

Starts \`npm run serve\` on each --persist-to STATE (reads only, once serve has applied any missing migration) and
sends both the same sample: --sample random product ids, each read as GET /products/:id, …/styles and
…/related, and --sample search pages (a word of a sampled product's name, alone or with its category,
price bounds or in_stock, a category browse, and the page after some of them). Prints the differences
and "N passed, N failed" (a question is one request to each server); exits 1 on any difference.

  --a STATE, --b STATE   the two state directories (what --persist-to was given)
  --sample N             how many products and how many search pages (default 1000)
  --seed S               the sample's random seed (default 24)
  --max-id N             the highest product id to draw from (default: found with keyset paging)
  -h, --help             show this help
`;

const { values, fail } = parseCli("compare-api", USAGE, {
  a: { type: "string" }, b: { type: "string" }, sample: { type: "string" }, seed: { type: "string" }, "max-id": { type: "string" },
});
if (!values.a || !values.b) fail("name both states: --a STATE --b STATE");
const sample = integerFlag("--sample", values.sample, { fallback: 1000, min: 1, max: 1_000_000 }, fail);
const seed = integerFlag("--seed", values.seed, { fallback: 24, min: 0, max: 2 ** 31 }, fail);
const maxIdFlag = integerFlag("--max-id", values["max-id"], { fallback: 0, min: 1, max: Number.MAX_SAFE_INTEGER }, fail);

// mulberry32: the same seed draws the same sample, so a difference can be asked again.
let state = seed;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const below = (n: number) => Math.floor(random() * n);

interface Answer { status: number; etag: string | null; body: string }
let asked = 0;
const ask = async (origin: string, path: string): Promise<Answer> => {
  // Each question from its own address: the search limiter counts per CF-Connecting-IP.
  const ip = `10.${(asked >> 16) & 255}.${(asked >> 8) & 255}.${asked & 255}`;
  asked++;
  const res = await fetch(`${origin}${path}`, { headers: { "CF-Connecting-IP": ip } });
  return { status: res.status, etag: res.headers.get("etag"), body: await res.text() };
};

async function highestId(origin: string): Promise<number> {
  const empty = async (after: number) => (JSON.parse((await ask(origin, `/products?after=${after}&count=1`)).body) as unknown[]).length === 0;
  let lo = 0, hi = 1024;
  while (!(await empty(hi))) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await empty(mid)) hi = mid; else lo = mid;
  }
  return hi;
}

/** Search questions from a product both servers answered: words a shopper would type, and filters. */
function searchPaths(product: { name: string; category: string }): string[] {
  const words = product.name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
  const word = encodeURIComponent(words[below(words.length)] ?? product.name.slice(0, 3));
  const category = encodeURIComponent(product.category);
  const choices = [
    `/search?q=${word}`, `/search?q=${word}&category=${category}`, `/search?q=${word}&max_price=${20 + below(200)}&in_stock=true`,
    `/search?category=${category}&min_price=${below(100)}&limit=${1 + below(100)}`, `/search/suggest?q=${word}`,
  ];
  return [choices[below(choices.length)]!];
}

let passed = 0, failed = 0;
async function compare(a: Served, b: Served, path: string): Promise<Answer> {
  const [x, y] = await Promise.all([ask(a.origin, path), ask(b.origin, path)]);
  if (x.status === y.status && x.etag === y.etag && x.body === y.body) passed++;
  else {
    failed++;
    if (failed <= 20) console.log(`DIFF ${path}\n  a: ${x.status} ${x.etag} ${x.body.slice(0, 300)}\n  b: ${y.status} ${y.etag} ${y.body.slice(0, 300)}`);
  }
  return x;
}

await runMain("compare-api", async () => {
  const servers: Served[] = [];
  try {
    for (const dir of [values.a!, values.b!]) servers.push(await serve(dir));
    const [a, b] = servers as [Served, Served];
    const maxId = maxIdFlag || (await highestId(a.origin));
    console.log(`a: ${values.a} on ${a.origin}; b: ${values.b} on ${b.origin}; ids 1..${maxId}, seed ${seed}, ${sample} products and ${sample} search pages`);
    await compare(a, b, "/categories");
    let searches = 0, draws = 0;
    for (let i = 0; i < sample; i++) {
      if (++draws > sample * 10) throw new Error(`server a answers 404 for nearly every id up to ${maxId}: is its catalog loaded?`);
      const id = 1 + below(maxId);
      const product = await compare(a, b, `/products/${id}`);
      await compare(a, b, `/products/${id}/styles`);
      await compare(a, b, `/products/${id}/related`);
      if (product.status !== 200) { i--; continue; } // a rejected id: 404 on both, counted, and another is drawn
      for (const path of searchPaths(JSON.parse(product.body) as { name: string; category: string })) {
        const page = await compare(a, b, path);
        searches++;
        const next = page.status === 200 ? (JSON.parse(page.body) as { next_cursor?: string | null }).next_cursor : null;
        if (next && random() < 0.5) { await compare(a, b, `${path}&cursor=${next}`); searches++; }
      }
      if ((i + 1) % 100 === 0) process.stderr.write(`  ${i + 1} products, ${searches} search pages: ${failed} differences\n`);
    }
    console.log(`${sample} products (with styles and related) and ${searches} search pages compared`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) process.exit(1);
});
