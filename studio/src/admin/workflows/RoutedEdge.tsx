// An arrow drawn along the route the diagram's layout gave it (diagram-layout.ts), its label where
// the layout kept room for it. Without a route (a transition back into its own state) it falls back
// to React Flow's curve between the two handles.

import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { smoothPath } from './diagram-layout.ts';

export type RoutedEdgeData = { transition: string; points?: { x: number; y: number }[]; labelAt?: { x: number; y: number } };

export function RoutedEdge(props: EdgeProps<Edge<RoutedEdgeData>>) {
  const { data, label, labelStyle, style, markerEnd, interactionWidth } = props;
  const routed = data?.points && data.labelAt;
  const [bezier, bezierLabelX, bezierLabelY] = getBezierPath(props);
  return (
    <BaseEdge
      id={props.id}
      path={routed ? smoothPath(data.points!) : bezier}
      labelX={routed ? data.labelAt!.x : bezierLabelX}
      labelY={routed ? data.labelAt!.y : bezierLabelY}
      label={label}
      labelStyle={labelStyle}
      labelShowBg
      labelBgPadding={[4, 2]}
      labelBgBorderRadius={3}
      style={style}
      {...(markerEnd ? { markerEnd } : {})}
      {...(interactionWidth !== undefined ? { interactionWidth } : {})}
    />
  );
}
