#!/usr/bin/env node
// `npx partner-hub <command>`: runs the TypeScript sources directly through tsx (no build step).
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv);
