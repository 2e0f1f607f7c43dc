-- The indexed terms of product_search, one row per occurrence in term order (docs/decisions/search.md,
-- "Ranking without corpus statistics"). A view onto the index: it stores nothing and needs no upkeep.
-- Ranked search seeks it by term to expand the last word's prefix into the few terms it starts; the
-- 'instance' kind answers a seek with LIMIT 1 without walking a doclist ('row' would count one).
CREATE VIRTUAL TABLE `product_search_terms` USING fts5vocab(`product_search`, 'instance');
