/**
 * Measures how many adjacent transpositions of distinct characters the USI check character detects, over random
 * USIs and every adjacent position (check character included). Prints one JSON line.
 * Usage: node dist/bench/check-character.js [count]
 */
import { generateUsi, isValidUsi } from '../libs/usi-contract/src';

const count = Number(process.argv[2] ?? 100_000);
let total = 0;
let detected = 0;
let substitutionsMissed = 0;
for (let n = 0; n < count; n++) {
  const usi = generateUsi();
  for (let i = 0; i < usi.length - 1; i++) {
    if (usi[i] === usi[i + 1]) continue;
    total++;
    if (!isValidUsi(usi.slice(0, i) + usi[i + 1] + usi[i] + usi.slice(i + 2))) detected++;
  }
  const i = n % usi.length;
  const replacement = usi[i] === 'A' ? 'B' : 'A';
  if (isValidUsi(usi.slice(0, i) + replacement + usi.slice(i + 1))) substitutionsMissed++;
}
process.stdout.write(
  `${JSON.stringify({
    usis: count,
    adjacentTranspositions: total,
    detected,
    detectionRate: Number((detected / total).toFixed(6)),
    theoreticalRate: Number((1 - 2 / 992).toFixed(6)),
    substitutionsMissed,
  })}\n`,
);
