const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `ord_` + 22 base62 characters from the CSPRNG (≈131 bits): opaque, unguessable, not a row number. */
export function newOrderId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = "ord_";
  // 256 % 62 leaves a bias of under 2% per character toward the first 8 symbols; still > 128 bits.
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}
