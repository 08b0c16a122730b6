// The cross-connections between organisations, counted from who took part in what. Pure and
// self-contained: it also runs on the counting worker (app/lib/background-count.server.ts), which
// receives its source text, so it may use nothing from outside its own body.
export type Connection = { a: string; b: string; weight: number };
/**
 * The connections; per organisation the number of initiatives it took part in, and the newest of
 * them (ids, newest first, at most 50: what its page lists). As pairs, to cross to the server's thread.
 */
export type TakingPart = { connections: Connection[]; initiatives: [string, number][]; newest: [string, number[]][] };

/**
 * Rows of distinct (initiative, organisation) pairs, ordered by initiative: every pair of
 * organisations in one initiative is connected once more, and every row is one initiative more for
 * its organisation. Connections heaviest first, ties by name. Counted here rather than by a
 * self-join in SQL: on a large, dense network that join makes millions of rows, while this stays
 * one pass over who took part in what.
 */
export function countTakingPart(rows: [number, string][]): TakingPart {
  const weights = new Map<string, number>();
  const initiatives = new Map<string, number>();
  const newest = new Map<string, number[]>();
  const newestKept = 50;
  let current: string[] = [];
  const count = () => {
    current.sort();
    for (let i = 0; i < current.length; i++) {
      for (let j = i + 1; j < current.length; j++) {
        const key = `${current[i]}\u0000${current[j]}`;
        weights.set(key, (weights.get(key) ?? 0) + 1);
      }
    }
  };
  let initiative = -1;
  for (const [id, organisation] of rows) {
    if (id !== initiative) {
      count();
      current = [];
      initiative = id;
    }
    current.push(organisation);
    initiatives.set(organisation, (initiatives.get(organisation) ?? 0) + 1);
    let ids = newest.get(organisation);
    if (!ids) newest.set(organisation, (ids = []));
    ids.push(id);
    // Rows come oldest first: the list keeps the last ones, trimmed now and then rather than per row.
    if (ids.length >= 2 * newestKept) ids.splice(0, ids.length - newestKept);
  }
  count();
  const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const connections = [...weights]
    .map(([key, weight]) => {
      const [a, b] = key.split("\u0000");
      return { a, b, weight };
    })
    .sort((x, y) => y.weight - x.weight || byName(x.a, y.a) || byName(x.b, y.b));
  return { connections, initiatives: [...initiatives], newest: [...newest].map(([organisation, ids]) => [organisation, ids.slice(-newestKept).reverse()]) };
}
