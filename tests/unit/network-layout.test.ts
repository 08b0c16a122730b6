import { describe, expect, it } from "vitest";
import { circleOrder, labelLines, layoutMap, type Link } from "~/lib/network-layout";

/** A deterministic network of `n` organisations with a few strong pairs and many weak ones. */
function network(n: number) {
  const names = Array.from({ length: n }, (_, i) => `Organisatie ${String(i + 1).padStart(2, "0")} in Lindenveen`);
  const links: Link[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const weight = (i * 7 + j * 13) % 11;
      if (weight > 6) links.push({ a: names[i], b: names[j], weight: weight - 6 });
    }
  }
  return { names, links };
}

const shuffled = <T>(list: T[]) => [...list].reverse().sort((a, b) => (JSON.stringify(a).length % 3) - (JSON.stringify(b).length % 3));

describe("the map layout", () => {
  it("gives the same picture for the same data, in whatever order the data comes", () => {
    const { names, links } = network(20);
    const first = layoutMap(names, links);
    const again = layoutMap(shuffled(names), shuffled(links).map((l) => ({ ...l })));
    expect(again).toEqual(first);
  });

  it("puts the strongest organisation first and its strongest partner next to it", () => {
    const links = [
      { a: "Bibliotheek", b: "Wijkteam", weight: 5 },
      { a: "Wijkteam", b: "Buurthuis", weight: 2 },
      { a: "Bibliotheek", b: "Gemeente", weight: 1 },
    ];
    expect(circleOrder(["Gemeente", "Buurthuis", "Wijkteam", "Bibliotheek"], links)).toEqual(["Wijkteam", "Bibliotheek", "Gemeente", "Buurthuis"]);
  });

  for (const n of [3, 8, 30, 60]) {
    it(`keeps ${n} organisations legible: every dot on the picture, and dots at least a line of text apart`, () => {
      const { names, links } = network(n);
      const layout = layoutMap(names, links);
      expect(layout.nodes).toHaveLength(n);
      for (const node of layout.nodes) {
        expect(node.x).toBeGreaterThan(0);
        expect(node.x).toBeLessThan(layout.width);
        expect(node.y).toBeGreaterThan(0);
        expect(node.y).toBeLessThan(layout.height);
      }
      let closest = Infinity;
      for (let i = 0; i < n; i++) {
        const a = layout.nodes[i];
        const b = layout.nodes[(i + 1) % n];
        closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
      }
      expect(closest).toBeGreaterThanOrEqual(n === 1 ? 0 : 13 * 1.5);
      // Names have room outside the circle: the label margin is there on every side.
      expect(layout.width).toBeLessThanOrEqual(2 * (Math.max(150, (n * 13 * 1.6) / (2 * Math.PI)) + 32 * 13 * 0.6 + 24) + 1);
      expect(layout.radial).toBe(n > 16);
    });
  }

  it("draws a line for each link between placed organisations, heavier lines wider and on top", () => {
    const layout = layoutMap(["A", "B", "C"], [
      { a: "A", b: "B", weight: 1 },
      { a: "B", b: "C", weight: 4 },
      { a: "A", b: "Elsewhere", weight: 9 },
    ]);
    expect(layout.links.map((l) => [l.a, l.b, l.weight])).toEqual([
      ["A", "B", 1],
      ["B", "C", 4],
    ]);
    expect(layout.links[1].width).toBeGreaterThan(layout.links[0].width);
  });

  it("writes long names on two lines, split at a space", () => {
    expect(labelLines("Wijkteam")).toEqual(["Wijkteam"]);
    expect(labelLines("Vrijwilligerscentrale Lindenveen")).toEqual(["Vrijwilligerscentrale", "Lindenveen"]);
    expect(labelLines("GGZ Lindenveen, team Herstel")).toEqual(["GGZ Lindenveen,", "team Herstel"]);
  });
});

describe("a part of the map as a picture of its own", () => {
  it("writes every name as text, whatever it holds, with one version per drawing", async () => {
    const { mapPictureRef, mapPictureResponse } = await import("~/lib/map-picture.server");
    const names = ['<script>alert("x")</script>', "Zorg & Welzijn", "Café \"De Hoek\" 'n ding", "]]><svg onload=alert(1)>"];
    const links = names.slice(1).map((b) => ({ a: names[0], b, weight: 2 }));
    const layout = layoutMap(names, links);
    const ref = mapPictureRef(layout, "/initiatives/1/works-with.svg");
    expect(ref).toMatchObject({ width: layout.width, height: layout.height, organisations: 4, links: 3 });
    const answer = mapPictureResponse(new Request(`http://localhost${ref.src}`), layout);
    expect(answer.headers.get("cache-control")).toContain("immutable");
    const svg = await answer.text();
    // Only the picture's own elements, and the names (cut to a label's length) as escaped text.
    expect(new Set([...svg.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]))).toEqual(new Set(["svg", "g", "line", "circle", "text", "tspan"]));
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/s…");
    expect(svg).toContain("Zorg &amp; Welzijn");
    expect(svg).toContain("Café &quot;De Hoek&quot; &#x27;n ding");
    expect(svg).toContain("]]&gt;&lt;svg");
    // The same layout gives the same address; another layout another one.
    expect(mapPictureRef(layout, "/initiatives/1/works-with.svg").src).toBe(ref.src);
    expect(mapPictureRef(layoutMap(names.slice(0, 3), links), "/initiatives/1/works-with.svg").src).not.toBe(ref.src);
  });
});
