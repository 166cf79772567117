// The state machine as a diagram (@xyflow/react): states are nodes, transitions arrows. Clicking
// a state or an arrow selects it for editing; dragging from one state to another proposes a new
// transition between them. The layout is dagre's (diagram-layout.ts); the drawing is fitted into its
// box again whenever the box resizes or the drawing changes.
// On a phone a diagram of eight states is too small to read or tap: the states are listed first,
// each with the transitions that leave it (a tap edits one), and the diagram below lets the page
// scroll through it (pinch or the controls zoom it).

import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type Connection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Button, Grid, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../app/use-language.ts';
import { NoZhLabel } from './NoZhLabel.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';
import { diagramOf, fromList, orderedStates, withSelection, type WorkflowDoc } from './workflow-model.ts';

const edgeTypes = { routed: RoutedEdge };

export interface DiagramProps {
  doc: WorkflowDoc;
  selected?: string;
  onSelect: (key: string) => void;
  onConnect: (from: string, to: string) => void;
}

/** Padding around the drawing, as a share of its size, when it is fitted into the box. */
const padding = 0.08;
/** Tall enough on a desktop to show the drawing at 100 % with its padding (its text stays readable), within bounds. */
const diagramHeight = (drawn: number) => Math.round(Math.min(640, Math.max(320, drawn * (1 + 2 * padding))));

/**
 * Fits the whole drawing — arrows routed around the states included, which React Flow's fitView
 * (states only) would cut off — into the box, never above 125 % (a small workflow is not blown up),
 * and again whenever the box resizes or the drawing changes.
 */
function FitDrawing({ box, size }: { box: React.RefObject<HTMLDivElement | null>; size: { width: number; height: number } }) {
  const flow = useReactFlow();
  useEffect(() => {
    const element = box.current;
    if (!element || size.width === 0 || size.height === 0) return;
    const fit = () => {
      const zoom = Math.min(1.25, element.clientWidth / (size.width * (1 + 2 * padding)), element.clientHeight / (size.height * (1 + 2 * padding)));
      void flow.setViewport({ x: (element.clientWidth - size.width * zoom) / 2, y: (element.clientHeight - size.height * zoom) / 2, zoom });
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [box, flow, size.width, size.height]);
  return null;
}

/** The states in order, each with the transitions that leave it. */
function Outline({ doc, onSelect }: Pick<DiagramProps, 'doc' | 'onSelect'>) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const states = orderedStates(doc);
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
          <NoZhLabel label={state.label} />
          <Space wrap size={4} style={{ display: 'flex' }}>
            {transitions.filter(([, tr]) => fromList(tr.from, doc.states ?? {}).includes(name)).map(([tn, tr]) => (
              <Button key={tn} size="small" onClick={() => onSelect(`transition:${tn}`)} aria-label={t('wfDesigner.editTransition', { name: tn })}>
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
  const drawing = useMemo(() => diagramOf(doc, { label, initial: t('wfDesigner.initial'), final: t('wfDesigner.final') }), [doc, label, t]);
  const { nodes, edges } = useMemo(() => withSelection(drawing, selected), [drawing, selected]);
  const { size } = drawing;
  return (
    <>
    {narrow && <Outline doc={doc} onSelect={onSelect} />}
    <div ref={box} style={{ height: narrow ? 320 : diagramHeight(size.height), border: '1px solid #e5e7eb', borderRadius: 6 }} role="figure" aria-label={t('wfDesigner.diagram')}>
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
        ariaLabelConfig={{ 'controls.ariaLabel': t('wfDesigner.diagramControls'), 'controls.zoomIn.ariaLabel': t('wfDesigner.zoomIn'), 'controls.zoomOut.ariaLabel': t('wfDesigner.zoomOut'), 'controls.fitView.ariaLabel': t('wfDesigner.fitView'), 'controls.interactive.ariaLabel': t('wfDesigner.lock') }}
      >
        <Background />
        <Controls showInteractive={false} />
        <FitDrawing box={box} size={size} />
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
