import { benchQa } from "./zz-old-qa.ts";
const r = benchQa()!;
console.log(JSON.stringify(r.latency));
