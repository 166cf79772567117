// A rich text shown, not edited: its Markdown drawn as formatted text. react-markdown draws no HTML
// the text may hold and drops addresses a click would run (javascript:, data:); links open apart.

import Markdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import './rich-text.css';

// A line break is kept as one: a text written in a plain text area before the form laid it out as rich text keeps its lines.
const plugins = [remarkBreaks];

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
};

export default function RichTextValue({ id, label, value, empty }: { id: string; label: string; value: string | undefined; empty: string }) {
  return (
    <div id={id} role="group" aria-label={label} className="crm-rich-text-value" data-read-only-value>
      {value ? <Markdown components={components} remarkPlugins={plugins}>
          {value}
        </Markdown> : empty}
    </div>
  );
}
