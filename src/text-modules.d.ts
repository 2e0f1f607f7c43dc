// Files imported as their text (wrangler.toml [[rules]] type = "Text"): the docs page's assets.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const source: string;
  export default source;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const source: string;
  export default source;
}
