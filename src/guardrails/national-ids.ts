import { digitsOf, luhnValid } from "./luhn.ts";

/**
 * National identity numbers. Each validator gets a candidate its pattern matched and applies the
 * number's own rules: a check digit where the scheme has one, the issuing rules where it has not.
 */

/** US Social Security number: no area 000, 666 or 9xx, no group 00, no serial 0000. */
export function validUsSsn(value: string): boolean {
  const d = digitsOf(value);
  const area = d.slice(0, 3);
  return area !== "000" && area !== "666" && area[0] !== "9" && d.slice(3, 5) !== "00" && d.slice(5) !== "0000";
}

const NINO_BAD_PREFIXES = new Set(["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"]);

/** UK National Insurance number (no check digit; the pattern enforces the letter rules, here the reserved prefixes). */
export function validUkNino(value: string): boolean {
  return !NINO_BAD_PREFIXES.has(value.slice(0, 2));
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the number mod 23. */
export function validSpanishId(value: string): boolean {
  const v = value.replace(/-/g, "");
  const lead = "XYZ".indexOf(v[0]);
  const number = Number((lead >= 0 ? String(lead) + v.slice(1, 8) : v.slice(0, 8)));
  return DNI_LETTERS[number % 23] === v[v.length - 1];
}

/** Brazilian CPF: two mod-11 check digits; numbers of one repeated digit are invalid. */
export function validBrazilCpf(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
  const check = (len: number): number => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (d.charCodeAt(i) - 48) * (len + 1 - i);
    return ((sum * 10) % 11) % 10;
  };
  return check(9) === d.charCodeAt(9) - 48 && check(10) === d.charCodeAt(10) - 48;
}

/** Canadian Social Insurance number: Luhn over nine digits; 0 and 8 are not issued as first digit. */
export function validCanadaSin(value: string): boolean {
  const d = digitsOf(value);
  return d.length === 9 && d[0] !== "0" && d[0] !== "8" && luhnValid(d);
}

/** French NIR (social security number): the two-digit key is 97 minus the 13-digit number mod 97 (Corsica 2A/2B as 19/18). */
export function validFrenchNir(value: string): boolean {
  const v = value.replace(/ /g, "");
  if (v.length !== 15) return false;
  const body = v.slice(0, 13).replace("2A", "19").replace("2B", "18");
  if (!/^\d{13}$/.test(body)) return false;
  let rest = 0;
  for (let i = 0; i < body.length; i++) rest = (rest * 10 + body.charCodeAt(i) - 48) % 97;
  return 97 - rest === Number(v.slice(13));
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Indian Aadhaar number: twelve digits, the last a Verhoeff check digit. */
export function validAadhaar(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 12) return false;
  let c = 0;
  for (let i = 0; i < 12; i++) c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d.charCodeAt(11 - i) - 48]];
  return c === 0;
}
