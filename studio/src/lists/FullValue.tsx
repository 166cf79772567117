// A list cell's value cut to one line with an ellipsis, its whole text still within reach: when (and
// only while) it is cut, pointing at it or focusing it shows the whole value in a tooltip (which also
// describes the focused element to a screen reader). A cut value with nothing focusable inside (plain
// text, tags) becomes focusable itself, so the keyboard reaches it; a link or an editable cell inside
// is already focusable. The whole text is in the page either way (the ellipsis is only drawn).
// Tags (a multi-value field's options) are boxes of their own, which the browser clips without an
// ellipsis (it draws one only in a line of text): `tags` clips them in a box of their own and puts
// a "…" after it while they are cut.

import { Tooltip } from 'antd';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const lineStyle = { display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' } as const;
const tagsLineStyle = { display: 'flex', alignItems: 'center', maxWidth: '100%', minWidth: 0 } as const;
const tagsClipStyle = { display: 'block', overflow: 'hidden', whiteSpace: 'nowrap', minWidth: 0 } as const;
const interactive = 'a[href], button, input, select, textarea, [role=button], [tabindex]';

export function FullValue({ text, tags = false, children }: { text: string; tags?: boolean; children: ReactNode }) {
  const box = useRef<HTMLSpanElement>(null);
  const clip = useRef<HTMLSpanElement>(null);
  const [cut, setCut] = useState(false);
  const [focusableInside, setFocusableInside] = useState(false);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    // The value's own box (the tags' clip), or the box of what it is drawn in (an editable cell cuts its own text).
    const over = (el: Element) => el.scrollWidth > el.clientWidth + 1;
    const measure = () => {
      setCut(clip.current ? over(clip.current) : over(element) || [...element.children].some(over));
      setFocusableInside(element.querySelector(interactive) !== null);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [text, tags]);
  const reachable = cut && text !== '';
  return (
    <Tooltip title={reachable ? text : undefined} trigger={['hover', 'focus']} placement="topLeft">
      <span ref={box} style={tags ? tagsLineStyle : lineStyle} data-full-value={reachable ? 'cut' : undefined} {...(reachable && !focusableInside ? { tabIndex: 0 } : {})}>
        {tags ? (
          <>
            <span ref={clip} style={tagsClipStyle}>{children}</span>
            {cut && <span aria-hidden="true" data-cut-mark="" style={{ flex: 'none' }}>…</span>}
          </>
        ) : (
          children
        )}
      </span>
    </Tooltip>
  );
}
