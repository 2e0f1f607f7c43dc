// The one SHA-256 helper: ETags, order request hashes and the admin token check all digest through it.

export const sha256 = (text: string): Promise<ArrayBuffer> =>
  crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

/** The digest's first `bytes` bytes (all 32 by default) as lower-case hex. */
export async function sha256Hex(text: string, bytes = 32): Promise<string> {
  let hex = "";
  for (const b of new Uint8Array(await sha256(text)).subarray(0, bytes)) hex += b.toString(16).padStart(2, "0");
  return hex;
}
