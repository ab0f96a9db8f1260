// The provably fair draw, recomputed in the browser from what the API publishes, so a
// marketer (or a member's lawyer) needs to trust neither Kado nor this page's server:
// the rule is docs/guide/spins.md's, the arithmetic the same integers as
// domain/campaigns/draw.py, with WebCrypto's HMAC-SHA256 and BigInt.
const encoder = new TextEncoder();

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 of the seed's text, as published at launch. */
export async function seedHash(seed) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(seed)));
}

/** The draw n (u = n / 2^64): HMAC-SHA256(seed, "campaign:member:key"), its first 8 bytes. */
export async function drawNumber(seed, campaignId, memberId, idempotencyKey) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(seed),
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const digest = await crypto.subtle.sign("HMAC", key,
    encoder.encode(`${campaignId}:${memberId}:${idempotencyKey}`));
  return BigInt("0x" + hex(digest.slice(0, 8)));
}

/** The first prize, in defined order, whose cumulative weight share exceeds u. */
export function pickIndex(weights, n) {
  const total = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  let cumulative = 0n;
  for (let i = 0; i < weights.length; i += 1) {
    cumulative += BigInt(weights[i]);
    if (n * total < cumulative << 64n) return i;
  }
  return weights.length - 1;
}

/** What a spin drew, and whether the seed is the one whose hash was published. */
export async function verify({ seed, seedHashPublished, campaignId, prizes, memberId, idempotencyKey }) {
  const n = await drawNumber(seed, campaignId, memberId, idempotencyKey);
  const prize = prizes[pickIndex(prizes.map((p) => p.weight), n)];
  return {
    prize,
    u: Number(n) / 2 ** 64,
    seedMatches: (await seedHash(seed)) === seedHashPublished,
  };
}
