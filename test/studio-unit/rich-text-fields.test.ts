// A rich text shown on one line (studio/src/records/rich-text/rich-text-fields.ts): the fields a form
// lays out as rich text, and a Markdown text's words without its marks.

import { describe, expect, it } from 'vitest';
import type { FormDef } from '../../studio/src/api/meta.ts';
import { markdownText, richTextFields } from '../../studio/src/records/rich-text/rich-text-fields.ts';

describe('a rich text on one line', () => {
  it('reads the words of each block, a space between, without marks, links\' addresses or HTML', () => {
    expect(markdownText('Plan for **Monday** at [acme](https://acme.example.com/)\n\n- call first\n- bring samples')).toBe('Plan for Monday at acme call first bring samples');
    expect(markdownText('### Visit\n\n1. one\n2. two\n\n> quoted `code`')).toBe('Visit one two quoted code');
    expect(markdownText('**Keep** <img src="x" onerror="run()"> and [click](javascript:run())\nas typed')).toBe('Keep and click as typed');
    // Characters markup would read are the text's own: escaped marks, ampersands, Chinese punctuation.
    expect(markdownText('Tom \\*not bold\\* & Jerry <3 "quoted"')).toBe('Tom *not bold* & Jerry <3 "quoted"');
    expect(markdownText('元旦新年礼遇 New Year treats：会员专享满 299 减 30。')).toBe('元旦新年礼遇 New Year treats：会员专享满 299 减 30。');
    expect(markdownText('  \n\n ')).toBe('');
  });

  it('knows a field as rich text when any form of its entity lays it out so', () => {
    const form = (name: string, entity: string, fields: Record<string, { widget?: string }>): [string, FormDef] => [name, { kind: 'form', name, entity, sections: { main: { fields } } } as FormDef];
    const forms = new Map([form('a', 'note', { body: { widget: 'richText' }, title: {} }), form('b', 'note', { summary: { widget: 'textarea' }, recap: { widget: 'richText' } }), form('c', 'case', { body: { widget: 'textarea' } })]);
    expect([...richTextFields('note', forms)].sort()).toEqual(['body', 'recap']);
    expect([...richTextFields('case', forms)]).toEqual([]);
    expect([...richTextFields('note', undefined)]).toEqual([]);
  });
});
