// docs/api.md from the OpenAPI document the Worker serves (GET /openapi.json), which @hono/zod-openapi
// builds from the route declarations in src/routes/. Pure (no Node, no Workers API): the test that keeps
// docs/api.md current renders it inside the test pool (test/docs/api-reference.test.ts).

type Schema = {
  $ref?: string; type?: string | string[]; items?: Schema; properties?: Record<string, Schema>; required?: string[];
  additionalProperties?: Schema | boolean; enum?: unknown[]; description?: string; pattern?: string; example?: unknown;
  minimum?: number; maximum?: number; minLength?: number; maxLength?: number; minItems?: number; maxItems?: number;
  anyOf?: Schema[]; oneOf?: Schema[]; const?: unknown; default?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Response = { description: string; headers?: Record<string, { description?: string }>; content?: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> };
type Operation = {
  tags?: string[]; summary?: string; description?: string; parameters?: Parameter[]; security?: unknown[];
  requestBody?: { content: Record<string, { schema?: Schema }> }; responses: Record<string, Response>;
};
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const refName = (ref: string) => ref.split("/").at(-1)!;
const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** A schema as a short type: `string`, `Style[]`, `{ [sku id]: Sku }`, `"ok"`, `integer 1..100`. */
export function typeOf(s: Schema | undefined): string {
  if (!s || Object.keys(s).length === 0) return "any JSON";
  if (s.$ref) return `[${refName(s.$ref)}](#${anchor(refName(s.$ref))})`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(" \\| ");
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  const types = Array.isArray(s.type) ? s.type : [s.type ?? "object"];
  return types.map((t) => {
    if (t === "array") return `${typeOf(s.items)}[]${bounds(s.minItems, s.maxItems, " items")}`;
    if (t === "object") {
      if (s.properties) return `{ ${Object.keys(s.properties).map((k) => `${k}${s.required?.includes(k) ? "" : "?"}`).join(", ")} }`;
      if (typeof s.additionalProperties === "object") return `{ [key]: ${typeOf(s.additionalProperties)} }`;
      return "object";
    }
    if (t === "string") {
      if (s.pattern === "^\\d+\\.\\d{2}$") return "money string";
      return `string${bounds(s.minLength, s.maxLength, " chars")}`;
    }
    if (t === "integer" || t === "number") return `${t}${bounds(s.minimum, s.maximum, "")}`;
    return t;
  }).join(" \\| ");
}

const bounds = (min: number | undefined, max: number | undefined, unit: string) =>
  min === undefined && max === undefined ? "" : ` (${min ?? 0}..${max ?? "∞"}${unit})`;

function fieldTable(s: Schema): string[] {
  const lines = ["| field | type | required | notes |", "|---|---|---|---|"];
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    lines.push(`| \`${name}\` | ${typeOf(field)} | ${s.required?.includes(name) ? "yes" : "no"} | ${cell(field.description ?? "")} |`);
  }
  return lines;
}

function renderOperation(method: string, path: string, op: Operation, lines: string[]) {
  lines.push(`### \`${method.toUpperCase()} ${path}\``, "", `${op.summary ?? ""}${op.security?.length ? " **Admin:** `Authorization: Bearer <ADMIN_TOKEN>`." : ""}`, "");
  if (op.description) lines.push(op.description, "");
  if (op.parameters?.length) {
    lines.push("| parameter | in | required | type | notes |", "|---|---|---|---|---|");
    for (const p of op.parameters) {
      lines.push(`| \`${p.name}\` | ${p.in} | ${p.required ? "yes" : "no"} | ${typeOf(p.schema)} | ${cell(p.description ?? p.schema?.description ?? "")} |`);
    }
    lines.push("");
  }
  const body = op.requestBody?.content["application/json"]?.schema;
  if (body) lines.push(`Body (JSON): ${typeOf(body)}`, "");
  lines.push("| status | when | body |", "|---|---|---|");
  for (const [status, res] of Object.entries(op.responses)) {
    const json = res.content?.["application/json"];
    const headers = Object.keys(res.headers ?? {});
    lines.push(`| ${status} | ${cell(res.description)}${headers.length ? ` (headers: ${headers.map((h) => `\`${h}\``).join(", ")})` : ""} | ${json ? typeOf(json.schema) : "none"} |`);
  }
  lines.push("");
}

/** Every error code a declaration names (in its examples) with its status, for the table at the top. */
function errorCodes(doc: OpenApiDocument): [string, string][] {
  const codes = new Map<string, string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const [status, res] of Object.entries(op.responses)) {
        for (const example of Object.values(res.content?.["application/json"]?.examples ?? {})) {
          const code = (example.value as { error?: unknown }).error;
          if (typeof code === "string") codes.set(code, status);
        }
      }
    }
  }
  return [...codes].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
}

export function renderApiReference(doc: OpenApiDocument): string {
  const lines = [
    `# ${doc.info.title} ${doc.info.version}: reference`, "",
    "Generated from the route declarations in `src/routes/` (the document the Worker serves at `GET /openapi.json`,",
    "also in [openapi.json](openapi.json)); `GET /docs` renders the same document interactively. Don't edit this",
    "file: change a declaration and run `npm run docs:api`; `npm test` fails while this file is out of date.", "",
    doc.info.description ?? "", "",
    "## Error codes", "", "| code | status |", "|---|---|",
    ...errorCodes(doc).map(([code, status]) => `| \`${code}\` | ${status} |`), "",
  ];
  const tags = doc.tags?.map((t) => t.name) ?? [];
  for (const tag of tags) {
    lines.push(`## ${tag}`, "", doc.tags!.find((t) => t.name === tag)?.description ?? "", "");
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) if (op.tags?.[0] === tag) renderOperation(method, path, op, lines);
    }
  }
  lines.push("## Schemas", "");
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    lines.push(`### ${name}`, "");
    if (schema.description) lines.push(schema.description, "");
    if (schema.properties) lines.push(...fieldTable(schema), "");
    else lines.push(`${typeOf(schema)}`, "");
    if (schema.example !== undefined) lines.push("```json", JSON.stringify(schema.example), "```", "");
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
