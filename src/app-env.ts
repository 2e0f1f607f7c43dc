// The Hono environment every route and middleware shares: Worker bindings plus per-request values.
export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string };
}
