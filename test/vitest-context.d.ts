import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Print each pinned request's figures for the ledger (vitest.config.mts `provide`). */
    ledger: boolean;
  }
}
