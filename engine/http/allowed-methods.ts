// http/allowed-methods: which methods the app's routes serve at a path, so that a request no route
// answered can be told apart — 405 with `Allow` when the address is served for other methods (a PUT
// where PATCH is meant), 404 when it is not served at all. Read from the router stack (modules'
// routers included, as they are mounted), the same walk the route-table test makes.

interface Layer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

interface RouteEntry {
  pattern: RegExp;
  methods: string[];
}

const simpleSegment = /^(?::[A-Za-z_$][\w$]*|[A-Za-z0-9_~.-]+)$/;

/** A full route path of fixed segments and `:params` as a pattern (as the router matches: no case, optional trailing slash); undefined for anything else. */
function patternOf(path: string): RegExp | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  if (!segments.every((s) => simpleSegment.test(s))) return undefined;
  const source = segments.map((s) => (s.startsWith(':') ? '/[^/]+' : `/${s.replace(/[.~-]/g, '\\$&')}`)).join('');
  return new RegExp(`^${source}/?$`, 'i');
}

function collect(stack: readonly Layer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods ?? {}).filter(([m, on]) => on && m !== '_all').map(([m]) => m.toUpperCase());
      for (const path of [layer.route.path].flat()) {
        const pattern = typeof path === 'string' ? patternOf(prefix + path) : undefined;
        if (pattern && methods.length > 0) out.push({ pattern, methods });
      }
    } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
      collect(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath), out);
    }
  }
}

/** The methods served at a path, read from `stack` when first asked (every route is mounted by then). */
export function allowedMethodsOf(stack: () => readonly Layer[]): (path: string) => string[] {
  let routes: RouteEntry[] | undefined;
  return (path) => {
    if (routes === undefined) {
      routes = [];
      collect(stack(), '', routes);
    }
    const methods = new Set<string>();
    for (const route of routes) if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
