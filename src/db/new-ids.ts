// How a create batch names the row it has just inserted, from a later statement of the same batch
// (a feature, photo or sku of the new product or style, and the read that answers the request).
// Sound because the batch is one transaction on a database with one writer, so no other insert can
// come between, and because products and styles are AUTOINCREMENT, so a new id is larger than every
// id the table has ever held. last_insert_rowid() is not used: the first child row inserted would
// already change it. max() on the integer primary key is a single b-tree seek.

export const NEWEST_PRODUCT_ID = "(SELECT max(id) FROM products)";
export const NEWEST_STYLE_ID = "(SELECT max(id) FROM styles)";
