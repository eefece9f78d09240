#!/usr/bin/env node
// `npx partner-hub <command>`: runs the TypeScript sources directly through tsx (no build step).
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

// A .env in the working directory configures the hub (see .env.example); the environment wins.
if (existsSync(".env")) process.loadEnvFile(".env");
register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv);
