/** The Luhn (mod 10) check digit test used by payment cards and Canadian SINs; `digits` holds only 0-9. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** `value` without spaces, dashes and dots (the separators people write numbers with). */
export function digitsOf(value: string): string {
  return value.replace(/[^0-9]/g, "");
}
