import { iinCheckDigit } from "../../rules/index.js";

/** A valid IIN for a birth date (YYMMDD), century-and-sex digit and serial: tests make their own people. */
export function makeIin(yymmdd: string, centurySex: number, serial: number): string {
  for (let s = serial; s < serial + 50; s++) {
    const first11 = `${yymmdd}${centurySex}${String(s).padStart(4, "0")}`;
    const check = iinCheckDigit([...first11].map(Number));
    if (check !== null) return `${first11}${check}`;
  }
  throw new Error("no valid IIN near that serial");
}
