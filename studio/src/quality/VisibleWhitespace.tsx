// A value with the whitespace a cleansing trims or collapses made visible: in a page, spaces at the
// edges of a cell and runs of them inside collapse, so the before of "ACME " → "ACME" read the same
// as its after. Each such whitespace character is drawn as a sign (␣ space, ⇥ tab, ↵ line break,
// □ full-width space) and named for screen readers; a single plain space between words stays a space.

import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';

type Kind = 'space' | 'tab' | 'lineBreak' | 'fullWidthSpace' | 'otherSpace';

const signs: Record<Kind, string> = { space: '␣', tab: '⇥', lineBreak: '↵', fullWidthSpace: '□', otherSpace: '·' };

function kindOf(c: string): Kind {
  if (c === ' ') return 'space';
  if (c === '\t') return 'tab';
  if (c === '\n' || c === '\r') return 'lineBreak';
  if (c === '\u3000') return 'fullWidthSpace';
  return 'otherSpace';
}

/** The parts of `text`: plain runs, and the whitespace characters a reader would not see. */
export function whitespaceParts(text: string): { text: string; kind?: Kind }[] {
  const parts: { text: string; kind?: Kind }[] = [];
  let plain = '';
  const chars = [...text];
  chars.forEach((c, i) => {
    const isSpace = /\s/u.test(c);
    // A lone plain space between two other characters shows as itself.
    const lone = c === ' ' && i > 0 && i < chars.length - 1 && !/\s/u.test(chars[i - 1]!) && !/\s/u.test(chars[i + 1]!);
    if (!isSpace || lone) {
      plain += c;
      return;
    }
    if (plain) parts.push({ text: plain });
    plain = '';
    parts.push({ text: c, kind: kindOf(c) });
  });
  if (plain) parts.push({ text: plain });
  return parts;
}

export function hasHiddenWhitespace(text: string): boolean {
  return whitespaceParts(text).some((p) => p.kind !== undefined);
}

export function VisibleWhitespace({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <span data-testid="visible-whitespace">
      {whitespaceParts(text).map((part, i) =>
        part.kind === undefined ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : (
          <Fragment key={i}>
            <span aria-hidden="true" className="crm-whitespace-sign" data-whitespace={part.kind}>
              {signs[part.kind]}
            </span>
            <span className="crm-visually-hidden">{` ${t(`dataQuality.whitespace.${part.kind}`)} `}</span>
          </Fragment>
        ),
      )}
    </span>
  );
}

/** The legend of the signs, in the UI language. */
export function WhitespaceLegend() {
  const { t } = useTranslation();
  return (
    <p data-testid="whitespace-legend" style={{ margin: 0, color: 'rgba(0, 0, 0, 0.65)' }}>
      <span aria-hidden="true">
        {(['space', 'tab', 'lineBreak', 'fullWidthSpace'] as const).map((k, i) => (
          <Fragment key={k}>
            {i > 0 && ' · '}
            <span className="crm-whitespace-sign">{signs[k]}</span> {t(`dataQuality.whitespace.${k}`)}
          </Fragment>
        ))}
      </span>
      <span className="crm-visually-hidden">{t('dataQuality.whitespace.legend')}</span>
    </p>
  );
}
