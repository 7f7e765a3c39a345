// SB1's one error type in the browser: a stable `code`, the same codes as bidding/sb1/errors.py,
// so a page can show the translated message the server would give for the same refusal.

export class SB1Error extends Error {
  constructor(code, detail) {
    super(detail ? `SB1 ${code}: ${detail}` : `SB1 ${code}`);
    this.name = "SB1Error";
    this.code = code;
    this.detail = detail;
  }
}

export function refuse(code, detail) {
  throw new SB1Error(code, detail);
}
