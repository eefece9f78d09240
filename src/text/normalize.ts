// Chinese text as partners and staff type it: Traditional characters, full-width letters and digits,
// stray spaces. Everything the hub matches on goes through here first.
import * as OpenCC from "opencc-js/t2cn";

// Hong Kong variants are a superset for our purpose (Cantonese speakers write HK forms); "cn" output
// is Mainland Simplified.
const toCn = OpenCC.Converter({ from: "hk", to: "cn" });

export function toSimplified(text: string): string {
  return toCn(text);
}

/** NFKC folds full-width ASCII (ＨＺ００１ -> HZ001); then Traditional -> Simplified. */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize("NFKC")).trim();
}

/** For matching: normalized, lower-case, no white space. */
export function matchKey(text: string): string {
  return normalizeText(text).toLowerCase().replace(/\s+/g, "");
}
