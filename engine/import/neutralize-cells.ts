// Spreadsheet text that would run as a formula (= + - @, a tab or carriage return first) is written
// with an apostrophe in front (CSV injection); reading a file back takes that apostrophe off, so an
// exported note "=1+1" comes back as "=1+1", not "'=1+1". Text that already started with such an
// apostrophe gets one more on the way out, so that it too comes back as it was.

const formulaStart = /^'*[=+\-@\t\r]/;
const neutralized = /^'+[=+\-@\t\r]/;

/** A value as a spreadsheet cell's text, defused. */
export function neutralizeCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return formulaStart.test(text) ? `'${text}` : text;
}

/** A cell's text as it was before neutralizeCell (other text as it is). */
export function restoreNeutralized(text: string): string {
  return neutralized.test(text) ? text.slice(1) : text;
}
