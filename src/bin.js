#!/usr/bin/env node
// `npx partner-hub <command>`: runs the TypeScript sources directly through tsx (no build step).
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

// A .env in the working directory configures the hub (see .env.example); the environment wins.
if (existsSync(".env")) process.loadEnvFile(".env");
register();
const { main } = await import("./cli.ts");
const code = await main(process.argv);
// A failed command ends now: an SDK's keep-alive socket or retry timer must not hold a failed start open.
if (code !== 0) process.exit(code);
