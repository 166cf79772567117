// The state machine as a diagram (@xyflow/react): states are nodes, transitions arrows. Clicking
// a state or an arrow selects it for editing; dragging from one state to another proposes a new
// transition between them. The diagram re-fits when its container resizes (it fits only once).
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
import { diagramOf, fromList, orderedStates, type WorkflowDoc } from './workflow-model.ts';

export interface DiagramProps {
  doc: WorkflowDoc;
  selected?: string;
  onSelect: (key: string) => void;
  onConnect: (from: string, to: string) => void;
}

function FitOnResize({ box, count }: { box: React.RefObject<HTMLDivElement | null>; count: number }) {
  const flow = useReactFlow();
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => void flow.fitView({ padding: 0.15 }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [box, flow]);
  useEffect(() => {
    void flow.fitView({ padding: 0.15 });
  }, [count, flow]);
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
  const { nodes, edges } = useMemo(() => diagramOf(doc, { label, initial: t('wfDesigner.initial'), final: t('wfDesigner.final') }, selected), [doc, label, t, selected]);
  return (
    <>
    {narrow && <Outline doc={doc} onSelect={onSelect} />}
    <div ref={box} style={{ height: narrow ? 320 : 380, border: '1px solid #e5e7eb', borderRadius: 6 }} role="figure" aria-label={t('wfDesigner.diagram')}>
      <ReactFlow
        // On a phone a swipe over the diagram scrolls the page; pinch and the controls zoom.
        preventScrolling={!narrow}
        panOnDrag={!narrow}
        nodes={nodes}
        edges={edges}
        fitView
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
        <FitOnResize box={box} count={nodes.length + edges.length} />
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
