// Charts for docs/: a Vega-Lite spec compiled to Vega and rendered to SVG headlessly (pure JS, no canvas).
import { writeFileSync } from "node:fs";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export async function renderSvg(spec: TopLevelSpec, file: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  writeFileSync(file, await view.toSVG());
  view.finalize();
}

export interface LatencyPoint { route: string; size: string; metric: "p50" | "p99"; ms: number }

/** p50 and p99 per route against catalog size: one small panel per metric, one line per route. */
export function scaleSpec(points: LatencyPoint[], sizes: string[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Latency vs catalog size (cache off, wrangler dev, client-side)",
    data: { values: points },
    facet: { column: { field: "metric", type: "nominal", title: null } },
    spec: {
      width: 320, height: 260,
      layer: [{
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "size", type: "ordinal", sort: sizes, title: "catalog size (products)" },
          y: { field: "ms", type: "quantitative", title: "latency (ms)", scale: { type: "log" } },
          color: { field: "route", type: "nominal", title: "route" },
        },
      }],
    },
    resolve: { scale: { y: "independent" } },
  } as TopLevelSpec;
}

export interface SoakPoint { minute: number; kind: string; metric: "p50" | "p99"; ms: number }

/** Latency per minute of the soak, one line per request kind; p50 solid, p99 dashed. */
export function soakSpec(points: SoakPoint[], title: string): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 640, height: 320,
    data: { values: points },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "minute", type: "quantitative", title: "minute of the soak", axis: { tickMinStep: 1 } },
      y: { field: "ms", type: "quantitative", title: "latency (ms, log)", scale: { type: "log" } },
      color: { field: "kind", type: "nominal", title: "request kind" },
      strokeDash: { field: "metric", type: "nominal", title: "percentile" },
    },
  } as TopLevelSpec;
}
