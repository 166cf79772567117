// A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line must be a
// HELP or TYPE comment or a sample `name{label="value",…} number`; anything else throws.

export interface Family {
  type: string | undefined;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function familyOf(name: string, families: Map<string, Family>): string {
  if (families.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (name.endsWith(suffix) && families.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return name;
}

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m || !metricName.test(m[2]!)) throw new Error(`line ${i + 1}: not a HELP/TYPE comment: ${line}`);
      const family = families.get(m[2]!) ?? { type: undefined, samples: [] };
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3] ?? '')) throw new Error(`line ${i + 1}: unknown type ${m[3]}`);
        family.type = m[3];
      }
      families.set(m[2]!, family);
      return;
    }
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      labelPair.lastIndex = 0;
      let consumed = 0;
      for (let pair = labelPair.exec(m[2]); pair; pair = labelPair.exec(m[2])) {
        labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
        consumed = labelPair.lastIndex;
      }
      if (consumed !== m[2].length) throw new Error(`line ${i + 1}: malformed labels: ${m[2]}`);
    }
    const value = /^\+?Inf$/i.test(m[3]!) ? Infinity : /^-Inf$/i.test(m[3]!) ? -Infinity : /^NaN$/i.test(m[3]!) ? NaN : Number(m[3]);
    if (Number.isNaN(value) && !/^NaN$/i.test(m[3]!)) throw new Error(`line ${i + 1}: not a number: ${m[3]}`);
    const name = familyOf(m[1]!, families);
    const family = families.get(name) ?? { type: undefined, samples: [] };
    family.samples.push({ name: m[1]!, labels, value });
    families.set(name, family);
  });
  return families;
}

/** The value of the one sample `name` whose labels include `labels`; undefined when none. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number | undefined {
  const family = families.get(familyOf(name, families));
  const matches = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${matches.length} samples`);
  return matches[0]?.value;
}
