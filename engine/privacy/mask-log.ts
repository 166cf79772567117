// Masking free text before it is logged: e-mail addresses and phone-like digit runs are replaced,
// so an error message that quotes a record's value does not copy personal data into the logs.

const emailPattern = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-])[A-Za-z0-9.-]*(\.[A-Za-z]{2,})/g;
// Seven or more digits, allowing the spaces, dots, dashes and brackets phone numbers are written with.
const phonePattern = /\+?\d(?:[\s().-]*\d){6,}/g;

export function maskText(text: string): string {
  return text.replace(emailPattern, '$1***@$2***$3').replace(phonePattern, (digits) => `${digits.slice(0, 2)}***`);
}
