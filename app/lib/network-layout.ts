// Where the organisations go on the map of cross-connections: on a circle, in an order that puts
// organisations that work together a lot next to each other, so that their lines stay short and
// the long lines across the circle are the surprising ones. Pure and deterministic: the same
// data always gives the same picture (ties are broken by name), whatever order it comes in.

export type Link = { a: string; b: string; weight: number };
export type PlacedNode = { name: string; x: number; y: number; angle: number; strength: number; radius: number };
export type PlacedLink = Link & { x1: number; y1: number; x2: number; y2: number; width: number };
/** radial: names point outwards along their spoke (many organisations); otherwise they are level. */
export type MapLayout = { width: number; height: number; radial: boolean; nodes: PlacedNode[]; links: PlacedLink[] };

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const labelLine = 22;

/** A level label on at most two lines of about `labelLine` characters, split at a space. */
export function labelLines(name: string): string[] {
  if (name.length <= labelLine) return [name];
  const spaces = [...name.matchAll(/ /g)].map((m) => m.index!);
  const split = spaces.filter((i) => i <= labelLine && name.length - i - 1 <= labelLine).sort((a, b) => Math.abs(a - name.length / 2) - Math.abs(b - name.length / 2))[0];
  if (split === undefined) return [`${name.slice(0, labelLine - 1)}…`];
  return [name.slice(0, split), name.slice(split + 1)];
}

/** The order around the circle: strongest first, then each time the strongest partner of the last one placed. */
export function circleOrder(names: string[], links: Link[]): string[] {
  const strength = new Map(names.map((n) => [n, 0]));
  const between = new Map<string, number>();
  for (const l of links) {
    if (!strength.has(l.a) || !strength.has(l.b)) continue;
    strength.set(l.a, strength.get(l.a)! + l.weight);
    strength.set(l.b, strength.get(l.b)! + l.weight);
    between.set(`${l.a}\u0000${l.b}`, l.weight);
    between.set(`${l.b}\u0000${l.a}`, l.weight);
  }
  const strongest = (candidates: string[]) =>
    [...candidates].sort((x, y) => strength.get(y)! - strength.get(x)! || byName(x, y))[0];
  const left = new Set(names);
  const order: string[] = [];
  while (left.size) {
    const last = order[order.length - 1];
    const candidates = [...left];
    let next = strongest(candidates);
    if (last !== undefined) {
      const partners = candidates.filter((c) => between.has(`${last}\u0000${c}`));
      if (partners.length) {
        next = partners.sort((x, y) => between.get(`${last}\u0000${y}`)! - between.get(`${last}\u0000${x}`)! || strength.get(y)! - strength.get(x)! || byName(x, y))[0];
      }
    }
    order.push(next);
    left.delete(next);
  }
  return order;
}

/**
 * Places `names` on a circle big enough to give every label room (3 to 60 organisations stay
 * legible), with label space around it for names up to `labelChars` characters, and draws a line
 * for every link between placed organisations, from 1 to 9 units wide by weight.
 */
export function layoutMap(names: string[], links: Link[], options: { labelChars?: number; fontSize?: number } = {}): MapLayout {
  const fontSize = options.fontSize ?? 13;
  const order = circleOrder([...new Set(names)].sort(byName), links);
  const n = order.length;
  const radial = n > 16;
  // Level names are written on up to two lines of labelLine characters; radial ones on one line.
  const labelChars = Math.min(options.labelChars ?? Math.max(0, ...names.map((name) => name.length)), radial ? 32 : labelLine);
  // Each organisation needs about 1.6 lines of text along the circle.
  const circle = Math.max(radial ? 150 : 110, (n * fontSize * 1.6) / (2 * Math.PI));
  const margin = labelChars * fontSize * 0.6 + 24;
  // Level names need their width at the sides but only a few lines above and below.
  const width = Math.round(2 * (circle + margin));
  const height = Math.round(2 * (circle + (radial ? margin : 3 * fontSize + 24)));
  const strength = new Map(order.map((name) => [name, 0]));
  for (const l of links) {
    if (strength.has(l.a) && strength.has(l.b)) {
      strength.set(l.a, strength.get(l.a)! + l.weight);
      strength.set(l.b, strength.get(l.b)! + l.weight);
    }
  }
  const maxStrength = Math.max(1, ...strength.values());
  const nodes: PlacedNode[] = order.map((name, i) => {
    const angle = n === 1 ? -Math.PI / 2 : -Math.PI / 2 + (2 * Math.PI * i) / n;
    const round = (v: number) => Math.round(v * 10) / 10;
    return {
      name,
      angle: round((angle * 180) / Math.PI),
      x: round(width / 2 + circle * Math.cos(angle)),
      y: round(height / 2 + circle * Math.sin(angle)),
      strength: strength.get(name)!,
      radius: round(4 + 6 * Math.sqrt(strength.get(name)! / maxStrength)),
    };
  });
  const at = new Map(nodes.map((node) => [node.name, node]));
  const placed = links.filter((l) => at.has(l.a) && at.has(l.b) && l.a !== l.b);
  const maxWeight = Math.max(1, ...placed.map((l) => l.weight));
  return {
    width,
    height,
    radial,
    nodes,
    links: placed
      .map((l) => ({
        ...l,
        x1: at.get(l.a)!.x,
        y1: at.get(l.a)!.y,
        x2: at.get(l.b)!.x,
        y2: at.get(l.b)!.y,
        width: Math.round((1 + (8 * l.weight) / maxWeight) * 10) / 10,
      }))
      // Light lines first, so that the heavy ones are drawn on top.
      .sort((x, y) => x.weight - y.weight || byName(x.a, y.a) || byName(x.b, y.b)),
  };
}
