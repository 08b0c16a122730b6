// The network's pictures, drawn as SVG on the server: they need no JavaScript, scale with the
// screen, and every one has a table with the same figures next to it (and a text alternative).
import { Link } from "~/components/link";
import type { Connection } from "~/lib/connections";
import { labelLines, type MapLayout, type PlacedNode } from "~/lib/network-layout";
import { useT } from "~/lib/i18n/react";
import { organisationPath } from "~/lib/organisation-links";
import { formatter } from "~/lib/time";

type Month = { month: string; sessions: number; attendance: number };
type Organisation = { name: string; members: number; voices: number };

export const betweenHref = (a: string, b: string) => `/network?${new URLSearchParams({ between: a, and: b })}#samen`;
/** Names link to the organisation's page when its address is known, else to its people in the directory. */
export type Slugs = Record<string, string>;
export const organisationHref = (name: string, slugs?: Slugs) => (slugs?.[name] ? organisationPath(slugs[name]) : `/members?${new URLSearchParams({ organisation: name })}`);

/** The map of cross-connections: organisations on a circle, a line (a link) for every pair that worked together. */
export function NetworkMap({ layout, titleId, descriptionId, selected, slugs }: { layout: MapLayout; titleId: string; descriptionId: string; selected?: { a: string; b: string } | null; slugs?: Slugs }) {
  const t = useT();
  const lineLabel = (a: string, b: string, n: number) => (n === 1 ? t("network.map.line.one", { a, b }) : t("network.map.line", { a, b, n }));
  return (
    <svg
      className="network-map"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      role="group"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
    >
      <g className="links">
        {layout.links.map((l) => {
          const isSelected = selected && ((selected.a === l.a && selected.b === l.b) || (selected.a === l.b && selected.b === l.a));
          const label = lineLabel(l.a, l.b, l.weight);
          return (
            <a key={`${l.a}\u0000${l.b}`} href={betweenHref(l.a, l.b)} aria-label={label}>
              <title>{label}</title>
              <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className={isSelected ? "link selected" : "link"} strokeWidth={l.width} />
              {/* A wider, invisible line: easier to hit with a finger. */}
              <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="link-target" strokeWidth={Math.max(12, l.width)} />
            </a>
          );
        })}
      </g>
      <g className="nodes">
        {layout.nodes.map((node) => (
          <a key={node.name} href={organisationHref(node.name, slugs)}>
            {layout.radial ? null : <title>{node.name}</title>}
            <MapNode node={node} radial={layout.radial} />
          </a>
        ))}
      </g>
    </svg>
  );
}

/** A dot and its name: along its spoke on a radial map, else level beside, above or below it. */
function MapNode({ node, radial, picture }: { node: PlacedNode; radial: boolean; picture?: boolean }) {
  const offset = node.radius + 6;
  // A picture on its own (an image) has no style sheet: its colours are written on it.
  const dot = picture ? { fill: colours.node, stroke: colours.surface, strokeWidth: 2 } : { className: "node" };
  const label = picture ? { fontSize: 13, fill: colours.text } : { className: "node-label" };
  if (radial) {
    const left = node.angle > 90 && node.angle < 270;
    const name = node.name.length > 32 ? `${node.name.slice(0, 31)}…` : node.name;
    return (
      <>
        <circle cx={node.x} cy={node.y} r={node.radius} {...dot} />
        <text x={node.x} y={node.y} dy="0.35em" {...label} textAnchor={left ? "end" : "start"} transform={`rotate(${left ? node.angle - 180 : node.angle} ${node.x} ${node.y}) translate(${left ? -offset : offset} 0)`}>
          {name}
        </text>
      </>
    );
  }
  const radians = (node.angle * Math.PI) / 180;
  const dx = Math.cos(radians);
  const dy = Math.sin(radians);
  const anchor = Math.abs(dx) < 0.35 ? "middle" : dx > 0 ? "start" : "end";
  const lines = labelLines(node.name);
  const x = node.x + dx * offset;
  // Two lines: centred on the dot's level, or growing away from the circle at the top and bottom.
  const firstDy = lines.length === 1 ? 0.35 : dy < -0.8 ? -0.85 : dy > 0.8 ? 0.95 : -0.25;
  return (
    <>
      <circle cx={node.x} cy={node.y} r={node.radius} {...dot} />
      <text x={x} y={node.y + dy * (offset + 6)} {...label} textAnchor={anchor}>
        {lines.map((line, i) => (
          <tspan key={i} x={x} dy={i === 0 ? `${firstDy}em` : "1.2em"}>
            {line}
          </tspan>
        ))}
      </text>
    </>
  );
}

// The colours of the style sheet (app/styles/meedoen.css), for the pictures that are images.
const colours = { line: "#1f6f5c", node: "#155244", surface: "#ffffff", text: "#1d2521" };

/**
 * A part of the map as an image of its own (an initiative's or a member's "works with"): the same
 * circle and lines, without links, since the list beside it holds them.
 */
export function MapPicture({ layout }: { layout: MapLayout }) {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} fontFamily="system-ui, sans-serif">
      <g stroke={colours.line} strokeOpacity={0.45} strokeLinecap="round">
        {layout.links.map((l) => (
          <line key={`${l.a}\u0000${l.b}`} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} strokeWidth={l.width} />
        ))}
      </g>
      {layout.nodes.map((node) => (
        <MapNode key={node.name} node={node} radial={layout.radial} picture />
      ))}
    </svg>
  );
}

function monthLabel(month: string, locale: string) {
  const [y, m] = month.split("-").map(Number);
  return formatter(locale === "en" ? "en-GB" : "nl-NL", { month: "short", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 15)).replace(".", "");
}

/** Twelve bars, one a month, with the highest value written at the top of the scale. */
export function MonthBars({ months, value, title, locale, className }: { months: Month[]; value: (m: Month) => number; title: string; locale: string; className: string }) {
  const width = 360;
  const height = 180;
  const bottom = 24;
  const top = 18;
  const max = Math.max(1, ...months.map(value));
  const step = width / months.length;
  return (
    <svg className={`bar-chart ${className}`} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <text x={0} y={11} className="axis-label">
        {max.toLocaleString(locale === "en" ? "en-GB" : "nl-NL")}
      </text>
      <line x1={0} x2={width} y1={top} y2={top} className="grid" />
      <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} className="axis" />
      {months.map((m, i) => {
        const h = ((height - bottom - top) * value(m)) / max;
        return (
          <g key={m.month}>
            <rect x={i * step + step * 0.15} y={height - bottom - h} width={step * 0.7} height={h} className="bar" />
            <text x={i * step + step / 2} y={height - 8} textAnchor="middle" className="axis-label">
              {monthLabel(m.month, locale)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function MonthTable({ months, locale }: { months: Month[]; locale: string }) {
  const t = useT();
  return (
    <table className="data-table">
      <caption className="visually-hidden">{t("network.activity.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("network.col.month")}</th>
          <th scope="col">{t("network.col.sessions")}</th>
          <th scope="col">{t("network.col.attendance")}</th>
        </tr>
      </thead>
      <tbody>
        {months.map((m) => (
          <tr key={m.month}>
            <th scope="row">
              {monthLabel(m.month, locale)} {m.month.slice(0, 4)}
            </th>
            <td>{m.sessions}</td>
            <td>{m.attendance}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars: members per organisation, with those who have a voice drawn inside. */
export function OrganisationBars({ organisations, title }: { organisations: Organisation[]; title: string }) {
  const t = useT();
  const row = 26;
  const labelWidth = 170;
  const width = 360;
  const max = Math.max(1, ...organisations.map((o) => o.members));
  const barSpace = width - labelWidth - 34;
  const height = organisations.length * row + 28;
  return (
    <svg className="bar-chart organisations" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <g className="legend">
        <rect x={0} y={4} width={12} height={12} className="bar members" />
        <text x={16} y={14} className="axis-label">
          {t("network.legend.members")}
        </text>
        <rect x={110} y={4} width={12} height={12} className="bar voices" />
        <text x={126} y={14} className="axis-label">
          {t("network.legend.voices")}
        </text>
      </g>
      {organisations.map((o, i) => {
        const y = 28 + i * row;
        return (
          <g key={o.name}>
            <text x={labelWidth - 6} y={y + 14} textAnchor="end" className="axis-label">
              {o.name.length > 26 ? `${o.name.slice(0, 25)}…` : o.name}
            </text>
            <rect x={labelWidth} y={y + 2} width={(barSpace * o.members) / max} height={row - 8} className="bar members" />
            <rect x={labelWidth} y={y + 6} width={(barSpace * o.voices) / max} height={row - 16} className="bar voices" />
            <text x={labelWidth + (barSpace * o.members) / max + 4} y={y + 14} className="axis-label">
              {o.members}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function OrganisationTable({ organisations, slugs }: { organisations: Organisation[]; slugs?: Slugs }) {
  const t = useT();
  return (
    <table className="data-table">
      <caption className="visually-hidden">{t("network.organisations.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("network.col.organisation")}</th>
          <th scope="col">{t("network.col.members")}</th>
          <th scope="col">{t("network.col.voices")}</th>
        </tr>
      </thead>
      <tbody>
        {organisations.map((o) => (
          <tr key={o.name}>
            <th scope="row">
              <Link to={organisationHref(o.name, slugs)}>{o.name}</Link>
            </th>
            <td>{o.members}</td>
            <td>{o.voices}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A part of the map as an image: where it is, its size, and what it shows (for its text alternative). */
export type MapPictureRef = { src: string; width: number; height: number; organisations: number; links: number };

/**
 * "Works with …": an initiative's or an organisation's own part of the map (the organisations
 * and the lines between them, weighted as on the whole map), with the same names as a list.
 * The part is a picture of its own (ADR 042); the list holds the links.
 */
export function MapPart({ heading, picture, organisation, partners, slugs }: { heading: string; picture: MapPictureRef; organisation?: string; partners: { name: string; weight?: number }[]; slugs?: Slugs }) {
  const t = useT();
  if (!partners.length) return null;
  return (
    <section className="works-with" aria-labelledby="works-with-title">
      <h2 id="works-with-title">{heading}</h2>
      {picture.links ? (
        <div className="map-frame small" tabIndex={0} role="region" aria-label={heading}>
          <img src={picture.src} width={picture.width} height={picture.height} loading="lazy" decoding="async" alt={t("network.part.alt", { organisations: picture.organisations, links: picture.links })} />
        </div>
      ) : null}
      <ul className="partner-list" id="works-with-list">
        {partners.map((p) => (
          <li key={p.name}>
            {organisation && p.weight ? (
              <Link to={betweenHref(organisation, p.name)}>
                {p.name} <span className="muted">({p.weight === 1 ? t("network.shared.one") : t("network.shared", { n: p.weight })})</span>
              </Link>
            ) : (
              <Link to={organisationHref(p.name, slugs)}>{p.name}</Link>
            )}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/network">{t("network.worksWith.more")}</Link>
      </p>
    </section>
  );
}

type MeetingPlace = { organisation: string | null; slug: string | null; sessions: number; venues: number };

/** "Where we met": a bar per organisation whose venues the network met at (the table next to it has the figures). */
export function MeetingPlaceBars({ places, title }: { places: MeetingPlace[]; title: string }) {
  const t = useT();
  const row = 26;
  const labelWidth = 170;
  const width = 360;
  const max = Math.max(1, ...places.map((p) => p.sessions));
  const barSpace = width - labelWidth - 34;
  const height = places.length * row + 8;
  return (
    <svg className="bar-chart places" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      {places.map((p, i) => {
        const y = 4 + i * row;
        const name = p.organisation ?? t("network.places.elsewhere");
        return (
          <g key={p.slug ?? "-"}>
            <text x={labelWidth - 6} y={y + 14} textAnchor="end" className="axis-label">
              {name.length > 26 ? `${name.slice(0, 25)}…` : name}
            </text>
            <rect x={labelWidth} y={y + 2} width={(barSpace * p.sessions) / max} height={row - 8} className="bar" />
            <text x={labelWidth + (barSpace * p.sessions) / max + 4} y={y + 14} className="axis-label">
              {p.sessions}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function MeetingPlaceTable({ places }: { places: MeetingPlace[] }) {
  const t = useT();
  return (
    <table className="data-table">
      <caption className="visually-hidden">{t("network.places.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("network.col.organisation")}</th>
          <th scope="col">{t("network.col.venues")}</th>
          <th scope="col">{t("network.col.sessions")}</th>
        </tr>
      </thead>
      <tbody>
        {places.map((p) => (
          <tr key={p.slug ?? "-"}>
            <th scope="row">{p.slug ? <Link to={organisationPath(p.slug)}>{p.organisation}</Link> : t("network.places.elsewhere")}</th>
            <td>{p.venues}</td>
            <td>{p.sessions}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Pairs of organisations and how many initiatives they share, each a link to what they share. */
export function ConnectionsTable({ connections, slugs, caption }: { connections: Connection[]; slugs?: Slugs; caption?: string }) {
  const t = useT();
  return (
    <table className="data-table">
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{t("network.col.organisation")}</th>
          <th scope="col">{t("network.col.with")}</th>
          <th scope="col">{t("network.col.shared")}</th>
        </tr>
      </thead>
      <tbody>
        {connections.map((c) => (
          <tr key={`${c.a}\u0000${c.b}`}>
            <th scope="row">
              <Link to={organisationHref(c.a, slugs)}>{c.a}</Link>
            </th>
            <td>
              <Link to={organisationHref(c.b, slugs)}>{c.b}</Link>
            </td>
            <td>
              <Link to={betweenHref(c.a, c.b)} aria-label={t("network.shared", { n: c.weight })}>
                {c.weight}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
