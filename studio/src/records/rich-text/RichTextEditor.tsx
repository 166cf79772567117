// A rich-text field's editor: TipTap (ProseMirror) with a toolbar, reading and writing Markdown —
// the value stays a text the server checks as any other (length, rules), that lists, search, exports
// and a plain text area read as words, and that holds no markup a browser would run. Loaded on
// demand (RichTextWidget.tsx): the editor is the largest control a form draws.

import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Markdown } from '@tiptap/markdown';
import { Button, Input, Popover, Space, Tooltip } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BoldOutlined, FontSizeOutlined, ItalicOutlined, LinkOutlined, OrderedListOutlined, StrikethroughOutlined, UnorderedListOutlined } from '../../app/icons.tsx';
import { linkAddress } from './link-address.ts';
import './rich-text.css';

export interface RichTextEditorProps {
  id: string;
  label: string;
  value: string | undefined;
  describedBy: string;
  onChange: (markdown: string | undefined) => void;
  onFocus: () => void;
  onBlur: () => void;
}

export default function RichTextEditor({ id, label, value, describedBy, onChange, onFocus, onBlur }: RichTextEditorProps) {
  const { t } = useTranslation();
  // What the editor last said, so that only a value from elsewhere (a reload, a reset) replaces its content.
  const written = useRef(value ?? '');
  const editor = useEditor({
    extensions: [
      // Underline has no Markdown; code blocks and rules are not what a CRM's notes are made of.
      StarterKit.configure({ underline: false, codeBlock: false, horizontalRule: false, link: { openOnClick: false, autolink: true, linkOnPaste: true, protocols: ['mailto'] } }),
      // A line break is kept as one (RichTextValue.tsx reads the text alike).
      Markdown.configure({ markedOptions: { breaks: true } }),
    ],
    content: value ?? '',
    contentType: 'markdown',
    editorProps: { attributes: { id, role: 'textbox', 'aria-multiline': 'true', 'aria-label': label, 'aria-describedby': describedBy, class: 'crm-rich-text-content' } },
    onUpdate: ({ editor: changed }) => {
      const markdown = changed.isEmpty ? '' : changed.getMarkdown();
      written.current = markdown;
      onChange(markdown === '' ? undefined : markdown);
    },
    onFocus,
    onBlur,
  });
  useEffect(() => {
    if ((value ?? '') === written.current) return;
    written.current = value ?? '';
    editor.commands.setContent(value ?? '', { contentType: 'markdown', emitUpdate: false });
  }, [editor, value]);

  return (
    <div className="crm-rich-text" data-testid={`rich-text-${id}`}>
      <Toolbar editor={editor} id={id} label={t('richText.toolbar', { field: label })} />
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor, id, label }: { editor: Editor; id: string; label: string }) {
  const { t } = useTranslation();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      strike: e.isActive('strike'),
      heading: e.isActive('heading', { level: 3 }),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      link: e.isActive('link'),
    }),
  });
  const chain = () => editor.chain().focus();
  const marks: { name: keyof typeof active; icon: ReactNode; run: () => void }[] = [
    { name: 'bold', icon: <BoldOutlined />, run: () => chain().toggleBold().run() },
    { name: 'italic', icon: <ItalicOutlined />, run: () => chain().toggleItalic().run() },
    { name: 'strike', icon: <StrikethroughOutlined />, run: () => chain().toggleStrike().run() },
    { name: 'heading', icon: <FontSizeOutlined />, run: () => chain().toggleHeading({ level: 3 }).run() },
    { name: 'bulletList', icon: <UnorderedListOutlined />, run: () => chain().toggleBulletList().run() },
    { name: 'orderedList', icon: <OrderedListOutlined />, run: () => chain().toggleOrderedList().run() },
  ];
  // One tab stop for the whole toolbar, the arrow keys move along it (WAI-ARIA's toolbar pattern):
  // tabbing through a form does not stop at every button of every rich text.
  const toolbar = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(toolbar.current?.querySelectorAll<HTMLButtonElement>('button[data-toolbar-item]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const last = buttons.length - 1;
    const next = ({ ArrowRight: at === last ? 0 : at + 1, ArrowLeft: at === 0 ? last : at - 1, Home: 0, End: last } as Record<string, number>)[event.key];
    if (at < 0 || next === undefined) return;
    event.preventDefault();
    setCurrent(next);
    buttons[next]!.focus();
  };
  const item = (index: number) => ({ tabIndex: index === current ? 0 : -1, onFocus: () => setCurrent(index), 'data-toolbar-item': true });
  return (
    <div role="toolbar" aria-label={label} className="crm-rich-text-toolbar" ref={toolbar} onKeyDown={move}>
      <Space size={2} wrap>
        {marks.map((mark, index) => (
          <Tooltip key={mark.name} title={t(`richText.${mark.name}`)}>
            <Button size="small" type={active[mark.name] ? 'primary' : 'text'} aria-label={t(`richText.${mark.name}`)} aria-pressed={active[mark.name]} icon={mark.icon} onClick={mark.run} data-testid={`rich-text-${mark.name}`} {...item(index)} />
          </Tooltip>
        ))}
        <LinkButton editor={editor} errorId={`${id}__link-error`} active={active.link} item={item(marks.length)} />
      </Space>
    </div>
  );
}

/** The link of the selected text: its address typed in a popover, checked before it is set. */
function LinkButton({ editor, errorId, active, item }: { editor: Editor; errorId: string; active: boolean; item: { tabIndex: number; onFocus: () => void } }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [address, setAddress] = useState('');
  const [invalid, setInvalid] = useState(false);
  const show = (next: boolean) => {
    if (next) {
      setAddress(String(editor.getAttributes('link')['href'] ?? ''));
      setInvalid(false);
    }
    setOpen(next);
  };
  const apply = () => {
    const href = linkAddress(address);
    if (href === undefined) {
      setInvalid(true);
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    setOpen(false);
  };
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    setOpen(false);
  };
  const content = (
    <Space orientation="vertical" size={4} style={{ width: 260 }}>
      <Input
        autoFocus
        aria-label={t('richText.linkAddress')}
        placeholder="https://"
        value={address}
        status={invalid ? 'error' : ''}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(e) => setAddress(e.target.value)}
        onPressEnter={apply}
        data-testid="rich-text-link-address"
      />
      {invalid && (
        <div id={errorId} role="alert" style={{ color: '#cf1322', fontSize: 12 }}>
          {t('richText.linkInvalid')}
        </div>
      )}
      <Space>
        <Button size="small" type="primary" onClick={apply} data-testid="rich-text-link-apply">
          {t('richText.linkApply')}
        </Button>
        {active && (
          <Button size="small" onClick={remove}>
            {t('richText.linkRemove')}
          </Button>
        )}
      </Space>
    </Space>
  );
  return (
    <Popover open={open} onOpenChange={show} trigger="click" content={content}>
      <Button size="small" type={active ? 'primary' : 'text'} aria-label={t('richText.link')} aria-pressed={active} aria-expanded={open} icon={<LinkOutlined />} data-testid="rich-text-link" {...item} />
    </Popover>
  );
}
