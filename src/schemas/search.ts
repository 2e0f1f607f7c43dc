import { z } from "@hono/zod-openapi";
import { MONEY_PATTERN, parseMoney } from "../lib/money";
import { boundedIntString, MoneyString } from "./common";
import { CONTROL_CHARACTER } from "./limits";
import { CATEGORIES_EXAMPLE, SEARCH_EXAMPLE, SUGGEST_EXAMPLE } from "./examples";

const query = (name: string) => ({ param: { name, in: "query" as const } });

/**
 * What a shopper types, search box or typeahead alike: any text up to this many characters is searched
 * (API.md promises 1,000 and no error; only the first 8 words count, so the cost doesn't grow with it).
 * A control character counts as a space (API.md), so `jacket<NUL>` is `jacket ` and NULs alone are blank.
 */
const MAX_TYPED_CHARS = 2000;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, "g");
const typedText = () => z.string().max(MAX_TYPED_CHARS).transform((s) => s.replace(CONTROL_CHARACTERS, " "));

const priceBound = (description: string, name: string) => z.string()
  .regex(MONEY_PATTERN, "must be an amount such as 25 or 24.99")
  .transform((s) => parseMoney(s)!)
  .optional()
  .openapi({ ...query(name), description, example: "25.00", type: "string" });

export const SearchQuerySchema = z.object({
  q: typedText().optional().openapi({ ...query("q"),
    description: "Words to find in name, slogan, description and category (the last one as a prefix from 3 characters). Plain text: nothing in it is query syntax, and a control character counts as a space.",
    example: "trail jog" }),
  category: z.string().min(1).max(200).optional().openapi({ ...query("category"), description: "Exact category name", example: "Pants" }),
  min_price: priceBound("Lowest price a shopper pays, inclusive", "min_price"),
  max_price: priceBound("Highest price a shopper pays, inclusive", "max_price"),
  in_stock: z.literal("true").optional().openapi({ ...query("in_stock"), description: "Only products with some sku in stock" }),
  limit: boundedIntString("Results per page, 1..100", 100, 20).openapi(query("limit")),
  cursor: z.string().regex(/^[0-9A-F]{1,100}$/, "must be a next_cursor this route answered").optional()
    .openapi({ ...query("cursor"), description: "The previous page's next_cursor (opaque)" }),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const SuggestQuerySchema = z.object({
  q: typedText().openapi({ ...query("q"), description: "What the shopper has typed so far (any text up to 2,000 characters); under 3 characters answers []", example: "jog" }),
});

export const SearchResultSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slogan: z.string(),
  category: z.string(),
  default_price: MoneyString,
  price: MoneyString.openapi({ description: "What a shopper pays: the lowest sale-or-original price of its styles, else default_price" }),
}).openapi("SearchResult");

export const SearchPageSchema = z.object({
  results: z.array(SearchResultSchema),
  next_cursor: z.string().nullable().openapi({ description: "Send as `cursor` for the next page; null at the end. A page may be short and still have one." }),
}).openapi("SearchPage", { example: SEARCH_EXAMPLE });

export const SuggestionsSchema = z.object({
  results: z.array(z.object({ id: z.number().int(), name: z.string() })).max(10),
}).openapi("Suggestions", { example: SUGGEST_EXAMPLE });

export const CategoriesSchema = z.object({
  results: z.array(z.object({ category: z.string(), products: z.number().int().nonnegative() })),
}).openapi("Categories", { example: CATEGORIES_EXAMPLE });
