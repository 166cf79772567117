// The state machine as a diagram (@xyflow/react): states are nodes, transitions arrows. Clicking
// a state or an arrow selects it for editing; dragging from one state to another proposes a new
// transition between them. The layout is dagre's (diagram-layout.ts); the drawing is fitted to its
// box's width again whenever the box resizes or the drawing changes, and the box is as tall as the
// drawing as fitted (within bounds), so a wide drawing leaves no empty band above and below.
// On a phone a diagram of eight states is too small to read or tap: the states are listed first,
// each with the transitions that leave it (a tap edits one), and the diagram below lets the page
// scroll through it (pinch or the controls zoom it).

import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type Connection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Button, Grid, Space, Tag, Typography } from 'antd';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../app/use-language.ts';
import { fitDrawing } from './diagram-layout.ts';
import { NoZhLabel } from './NoZhLabel.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';
import { diagramOf, fromList, orderedStates, unreachableStates, withSelection, type WorkflowDoc } from './workflow-model.ts';
import { UnreachableTag } from './UnreachableTag.tsx';

const edgeTypes = { routed: RoutedEdge };

export interface DiagramProps {
  doc: WorkflowDoc;
  selected?: string;
  onSelect: (key: string) => void;
  onConnect: (from: string, to: string) => void;
}

/** Padding around the drawing, as a share of its size, when it is fitted into the box. */
const padding = 0.08;
/** The drawing is never blown up past this (a small workflow stays its size). */
const maxZoom = 1.25;
/** The box's height: at most this on a desktop and on a phone (where the page scrolls past it); at least room for the zoom controls. */
const maxHeight = { desktop: 640, phone: 320 };
const minHeight = 160;

/** The box's inner width, followed as it resizes (0 until it is laid out). */
function useBoxWidth(box: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [box]);
  return width;
}

/**
 * Fits the whole drawing — arrows routed around the states included, which React Flow's fitView
 * (states only) would cut off — into the box at the zoom fitDrawing chose (the box's height follows
 * from it), centred, again whenever the box resizes or the drawing changes.
 */
function FitDrawing({ box, size, zoom }: { box: React.RefObject<HTMLDivElement | null>; size: { width: number; height: number }; zoom: number }) {
  const flow = useReactFlow();
  useEffect(() => {
    const element = box.current;
    if (!element || size.width === 0 || size.height === 0) return;
    void flow.setViewport({ x: (element.clientWidth - size.width * zoom) / 2, y: (element.clientHeight - size.height * zoom) / 2, zoom });
  }, [box, flow, size.width, size.height, zoom]);
  return null;
}

/** The states in order, each with the transitions that leave it. */
function Outline({ doc, onSelect }: Pick<DiagramProps, 'doc' | 'onSelect'>) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const states = orderedStates(doc);
  const unreachable = unreachableStates(doc);
  const transitions = Object.entries(doc.transitions ?? {});
  return (
    <ol aria-label={t('wfDesigner.outline')} data-testid="workflow-outline" style={{ listStyle: 'none', margin: '0 0 12px', padding: 0 }}>
      {states.map(([name, state]) => (
        <li key={name} style={{ borderInlineStart: `3px solid ${state.color ?? '#8c8c8c'}`, padding: '4px 8px', marginBottom: 6, background: '#fafafa' }}>
          <Button type="link" style={{ padding: 0, height: 'auto', fontWeight: 600 }} onClick={() => onSelect(`state:${name}`)}>
            {label(state.label, name)}
          </Button>{' '}
          {state.initial && <Tag>{t('wfDesigner.initial')}</Tag>}
          {state.final && <Tag>{t('wfDesigner.final')}</Tag>}
          {unreachable.has(name) && <UnreachableTag state={name} />}
          <NoZhLabel label={state.label} />
          <Space wrap size={4} style={{ display: 'flex' }}>
            {transitions.filter(([, tr]) => fromList(tr.from, doc.states ?? {}).includes(name)).map(([tn, tr]) => (
              <Button key={tn} size="small" onClick={() => onSelect(`transition:${tn}`)} aria-label={t('wfDesigner.editTransition', { name: label(tr.label, tn) })}>
                {label(tr.label, tn)} → {label(doc.states?.[tr.to]?.label, tr.to)}
                <NoZhLabel label={tr.label} compact />
              </Button>
            ))}
          </Space>
        </li>
      ))}
      {states.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
    </ol>
  );
}

function Diagram({ doc, selected, onSelect, onConnect }: DiagramProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const narrow = Grid.useBreakpoint().md === false;
  const box = useRef<HTMLDivElement>(null);
  // dagre lays the drawing out when the workflow or the language changes, not when a selection does.
  const drawing = useMemo(() => diagramOf(doc, { label, initial: t('wfDesigner.initial'), final: t('wfDesigner.final'), unreachable: t('wfDesigner.unreachable'), edge: (transition, from, to) => t('wfDesigner.edgeLabel', { transition, from, to }) }), [doc, label, t]);
  const { nodes, edges } = useMemo(() => withSelection(drawing, selected), [drawing, selected]);
  const { size } = drawing;
  const width = useBoxWidth(box);
  const fit = fitDrawing({ size, width, maxHeight: narrow ? maxHeight.phone : maxHeight.desktop, minHeight, padding, maxZoom });
  return (
    <>
    {narrow && <Outline doc={doc} onSelect={onSelect} />}
    <div ref={box} data-testid="workflow-diagram" style={{ height: fit.height, boxSizing: 'content-box', border: '1px solid #e5e7eb', borderRadius: 6 }} role="figure" aria-label={t('wfDesigner.diagram')}
      // Enter or Space on a focused state or arrow opens it for editing, as a click does (React Flow
      // itself only marks it selected).
      onKeyDown={(event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        const target = event.target as HTMLElement;
        const id = target.getAttribute('data-id');
        if (!id) return;
        if (target.classList.contains('react-flow__node')) onSelect(`state:${id}`);
        else if (target.classList.contains('react-flow__edge')) onSelect(`transition:${String(edges.find((e) => e.id === id)?.data?.['transition'] ?? id)}`);
        else return;
        event.preventDefault();
      }}>
      <ReactFlow
        // On a phone a swipe over the diagram scrolls the page; pinch and the controls zoom.
        preventScrolling={!narrow}
        panOnDrag={!narrow}
        nodes={nodes}
        edges={edges}
        edgeTypes={edgeTypes}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable
        edgesFocusable
        nodesFocusable
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => onSelect(`state:${node.id}`)}
        onEdgeClick={(_, edge) => onSelect(`transition:${String(edge.data?.['transition'] ?? edge.id)}`)}
        onConnect={(c: Connection) => c.source && c.target && onConnect(c.source, c.target)}
        ariaLabelConfig={{ 'controls.ariaLabel': t('wfDesigner.diagramControls'), 'controls.zoomIn.ariaLabel': t('wfDesigner.zoomIn'), 'controls.zoomOut.ariaLabel': t('wfDesigner.zoomOut'), 'controls.fitView.ariaLabel': t('wfDesigner.fitView'), 'controls.interactive.ariaLabel': t('wfDesigner.lock'), 'node.a11yDescription.default': t('wfDesigner.nodeHelp'), 'node.a11yDescription.keyboardDisabled': t('wfDesigner.nodeHelp'), 'edge.a11yDescription.default': t('wfDesigner.edgeHelp') }}
      >
        <Background />
        <Controls showInteractive={false} />
        <FitDrawing box={box} size={size} zoom={fit.zoom} />
      </ReactFlow>
    </div>
    </>
  );
}

export function WorkflowDiagram(props: DiagramProps) {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}
