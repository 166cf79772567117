// Where the diagram's states and arrows go: a layered layout by dagre (@dagrejs/dagre), top to
// bottom in the direction of the transitions, with room kept between layers for the arrows' labels,
// so that no label sits on a state and no arrow runs through one. An arrow follows the points dagre
// routed for it (RoutedEdge.tsx draws them), its label where dagre put it.

import dagre from '@dagrejs/dagre';

export const stateBox = { width: 170, height: 40 };
/** A state's box with a second line (a mark such as "unreachable" under its label). */
export const tallStateBox = { width: stateBox.width, height: 62 };

export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  label: string;
}

export interface Layout {
  /** Top-left corner of each state's box. */
  positions: Map<string, { x: number; y: number }>;
  /** Each arrow's route from box edge to box edge, and its label's centre. */
  routes: Map<string, { points: { x: number; y: number }[]; label: { x: number; y: number } }>;
  /** The whole drawing at 100 %. */
  size: { width: number; height: number };
}

/** A label's box at the diagram's 12 px: CJK characters are about twice as wide as Latin ones. */
function labelSize(text: string): { width: number; height: number } {
  let width = 12;
  for (const char of text) width += /[\u2e80-\uffef]/.test(char) ? 12 : 7;
  return { width, height: 20 };
}

/** `tall`: states drawn with a second line (tallStateBox), given the room for it. */
export function layoutDiagram(states: string[], edges: LaidOutEdge[], tall: ReadonlySet<string> = new Set()): Layout {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 36, edgesep: 16, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const state of states) graph.setNode(state, { ...(tall.has(state) ? tallStateBox : stateBox) });
  // A transition back into its own state is drawn by the diagram's default arrow: dagre leaves it out.
  for (const edge of edges) if (edge.source !== edge.target) graph.setEdge(edge.source, edge.target, { ...labelSize(edge.label), labelpos: 'c' }, edge.id);
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const state of states) {
    const node = graph.node(state);
    positions.set(state, { x: node.x - node.width / 2, y: node.y - node.height / 2 });
  }
  const routes: Layout['routes'] = new Map();
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    const routed = graph.edge({ v: edge.source, w: edge.target, name: edge.id });
    if (routed?.points && routed.x !== undefined && routed.y !== undefined) routes.set(edge.id, { points: routed.points, label: { x: routed.x, y: routed.y } });
  }
  const { width = 0, height = 0 } = graph.graph();
  return { positions, routes, size: { width, height } };
}

/** An SVG path through the points, its corners rounded (each interior point a quadratic control point). */
export function smoothPath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 0) return `M ${first!.x} ${first!.y}`;
  let path = `M ${first!.x} ${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const corner = rest[i]!;
    const next = rest[i + 1]!;
    path += ` Q ${corner.x} ${corner.y} ${(corner.x + next.x) / 2} ${(corner.y + next.y) / 2}`;
  }
  const last = rest[rest.length - 1]!;
  return `${path} L ${last.x} ${last.y}`;
}

/** How a drawing is fitted into its box: the box's width is given, its height follows the drawing. */
export interface DrawingFit {
  /** The drawing's scale: never above `maxZoom`, and small enough for the width and for `maxHeight`. */
  zoom: number;
  /** The box's height: the drawing as fitted with its padding, within `minHeight` and `maxHeight`. */
  height: number;
}

/**
 * The zoom and box height for a drawing `size` in a box `width` wide, with `padding` (a share of the
 * drawing's size) on each side. A drawing limited by the width gets a box just as tall as it is
 * drawn, not the box of a taller one with empty space above and below; a tall drawing is limited by
 * `maxHeight`; `minHeight` keeps room for the zoom controls.
 */
export function fitDrawing(args: { size: { width: number; height: number }; width: number; maxHeight: number; minHeight: number; padding: number; maxZoom: number }): DrawingFit {
  const { size, width, maxHeight, minHeight, padding, maxZoom } = args;
  if (size.width <= 0 || size.height <= 0 || width <= 0) return { zoom: 1, height: minHeight };
  const padded = { width: size.width * (1 + 2 * padding), height: size.height * (1 + 2 * padding) };
  const zoom = Math.min(maxZoom, width / padded.width, maxHeight / padded.height);
  return { zoom, height: Math.min(maxHeight, Math.max(minHeight, Math.ceil(padded.height * zoom))) };
}
