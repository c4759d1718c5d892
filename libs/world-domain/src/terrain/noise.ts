/**
 * Seeded value noise. Everything is integer hashing plus a few float operations in a fixed order,
 * so the same seed and coordinates give the same bits on every V8 build: terrain is never stored
 * twice differently.
 */

/** A world seed as an unsigned 32-bit integer; strings hash to one with {@link seedFrom}. */
export type WorldSeed = number;

/** Normalises a numeric or textual world seed to an unsigned 32-bit integer (FNV-1a for strings). */
export function seedFrom(seed: number | string): WorldSeed {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Mixes a seed and two lattice coordinates into 32 well-spread bits (a murmur3-style finaliser). */
export function hash3(seed: number, a: number, b: number): number {
  let h = seed ^ Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform number in [0, 1) from a seed and two integers. */
export function random01(seed: number, a: number, b: number): number {
  return hash3(seed, a, b) / 4294967296;
}

const smooth = (t: number) => t * t * (3 - 2 * t);
const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/** Value noise in [-1, 1] at a point measured in lattice cells. */
export function valueNoise(seed: number, x: number, z: number): number {
  const ix = Math.floor(x);
  const iz = Math.floor(z);
  const tx = smooth(x - ix);
  const tz = smooth(z - iz);
  const v00 = random01(seed, ix, iz);
  const v10 = random01(seed, ix + 1, iz);
  const v01 = random01(seed, ix, iz + 1);
  const v11 = random01(seed, ix + 1, iz + 1);
  return lerp(lerp(v00, v10, tx), lerp(v01, v11, tx), tz) * 2 - 1;
}

/**
 * Fractal sum of `octaves` layers of value noise, each at twice the frequency and half the
 * amplitude of the last, normalised back to [-1, 1]. Each octave gets its own seed so layers do not
 * line up on the lattice.
 */
export function fbm(seed: number, x: number, z: number, octaves: number): number {
  let sum = 0;
  let amplitude = 1;
  let norm = 0;
  let frequency = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise(hash3(seed, o, 0x5eed), x * frequency, z * frequency);
    norm += amplitude;
    amplitude *= 0.5;
    frequency *= 2;
  }
  return sum / norm;
}
