const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `prefix` + 22 base62 characters from the CSPRNG (≈131 bits): opaque, unguessable, not a row number. */
function opaqueId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = prefix;
  // 256 % 62 leaves a bias of under 2% per character toward the first 8 symbols; still > 128 bits.
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}

/** An order's id: `ord_…`. */
export const newOrderId = () => opaqueId("ord_");

/** A cart's id, its only key (whoever holds it can change the cart): `cart_…`. */
export const newCartId = () => opaqueId("cart_");
