// The project's root directory, for scripts that resolve paths from it (no other imports, so any
// script module can take it without loading the local-D1 tooling).
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
