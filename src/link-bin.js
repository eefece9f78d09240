// postinstall: makes `npx partner-hub` work from the project root. npm links the bins of
// dependencies into node_modules/.bin but never the project's own, so we add that one link.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const binDir = path.join(root, "node_modules", ".bin");
const link = path.join(binDir, "partner-hub");
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(path.relative(binDir, path.join(root, "src", "bin.js")), link);
chmodSync(path.join(root, "src", "bin.js"), 0o755);
