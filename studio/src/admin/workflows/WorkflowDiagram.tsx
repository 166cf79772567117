// The state machine as a diagram (@xyflow/react): states are nodes, transitions arrows. Clicking
// a state or an arrow selects it for editing; dragging from one state to another proposes a new
// transition between them. The diagram re-fits when its container resizes (it fits only once).

import { Background, Controls, ReactFlow, ReactFlowProvider, useReactFlow, type Connection } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../app/use-language.ts';
import { diagramOf, type WorkflowDoc } from './workflow-model.ts';

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

function Diagram({ doc, selected, onSelect, onConnect }: DiagramProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const box = useRef<HTMLDivElement>(null);
  const { nodes, edges } = useMemo(() => diagramOf(doc, { label, initial: t('wfDesigner.initial'), final: t('wfDesigner.final') }, selected), [doc, label, t, selected]);
  return (
    <div ref={box} style={{ height: 380, border: '1px solid #e5e7eb', borderRadius: 6 }} role="figure" aria-label={t('wfDesigner.diagram')}>
      <ReactFlow
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
  );
}

export function WorkflowDiagram(props: DiagramProps) {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}
