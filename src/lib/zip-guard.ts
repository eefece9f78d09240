// Checks an .xlsx (a zip) before anything unpacks it: a 20 MB workbook can unpack to hundreds of
// megabytes (a zip bomb, or just 4 million rows), and a reader that trusts it runs out of memory.
// First the sizes the central directory declares, read from the end of the file without inflating
// anything; then one streaming pass that inflates each entry and counts the bytes it really gives,
// stopping at the first entry that gives more than it declared (a lying header).
// Format: PKWARE APPNOTE.TXT 4.3 (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT).
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";

export class ZipRefused extends Error {
  constructor(
    readonly reason: "too_big" | "malformed" | "lying",
    message: string,
  ) {
    super(message);
    this.name = "ZipRefused";
  }
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_MIN = 22;
/** The EOCD ends the file, followed only by a comment of at most 65,535 bytes. */
const EOCD_SEARCH = EOCD_MIN + 0xffff;
/** 0xFFFFFFFF in a size field means "see the ZIP64 record": no workbook we accept needs one. */
const ZIP64_MARK = 0xffffffff;

async function readAt(fd: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fd.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

async function centralDirectory(file: string): Promise<{ entries: Entry[]; centralOffset: number }> {
  const fd = await open(file, "r");
  try {
    const { size } = await fd.stat();
    const tailStart = Math.max(0, size - EOCD_SEARCH);
    const tail = await readAt(fd, tailStart, size - tailStart);
    let at = -1;
    for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new ZipRefused("malformed", "not a zip file (no end of central directory)");
    const count = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === ZIP64_MARK || cdOffset === ZIP64_MARK) throw new ZipRefused("too_big", "ZIP64 archive");
    if (cdOffset + cdSize > size) throw new ZipRefused("malformed", "central directory outside the file");
    const cd = await readAt(fd, cdOffset, cdSize);
    const entries: Entry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIG) throw new ZipRefused("malformed", "bad central directory entry");
      const nameLen = cd.readUInt16LE(p + 28);
      const entry = {
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localOffset: cd.readUInt32LE(p + 42),
        name: cd.toString("utf8", p + 46, p + 46 + nameLen),
      };
      if (entry.size === ZIP64_MARK || entry.compressedSize === ZIP64_MARK || entry.localOffset === ZIP64_MARK) {
        throw new ZipRefused("too_big", "ZIP64 entry");
      }
      entries.push(entry);
      p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    return { entries, centralOffset: cdOffset };
  } finally {
    await fd.close();
  }
}

/** Where each entry's data starts, after checking the entries lie end to end from the start of the
 * file: a streaming unzip reads local headers in file order, so nothing may hide between them. */
async function dataOffsets(file: string, entries: Entry[], centralOffset: number): Promise<number[]> {
  const fd = await open(file, "r");
  try {
    const sorted = entries.map((e, i) => [e, i] as const).sort(([a], [b]) => a.localOffset - b.localOffset);
    const starts: number[] = new Array(entries.length);
    let expected = 0;
    for (const [e, i] of sorted) {
      if (e.localOffset !== expected) throw new ZipRefused("malformed", "gap or overlap between entries");
      const h = await readAt(fd, e.localOffset, 30);
      if (h.length < 30 || h.readUInt32LE(0) !== LOCAL_SIG) throw new ZipRefused("malformed", "bad local header");
      const flags = h.readUInt16LE(6);
      const start = e.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
      const hasDescriptor = (flags & 0x08) !== 0;
      if (!hasDescriptor && (h.readUInt32LE(18) !== e.compressedSize || h.readUInt32LE(22) !== e.size)) {
        throw new ZipRefused("lying", "local header sizes differ from the central directory");
      }
      starts[i] = start;
      expected = start + e.compressedSize;
      if (hasDescriptor) {
        const d = await readAt(fd, expected, 4);
        expected += d.length === 4 && d.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
      }
    }
    if (expected !== centralOffset) throw new ZipRefused("malformed", "data after the last entry");
    return starts;
  } finally {
    await fd.close();
  }
}

/** Inflates one entry, counting its bytes, and fails as soon as it gives more than it declared. */
function countEntry(file: string, entry: Entry, start: number): Promise<void> {
  if (entry.compressedSize === 0) return Promise.resolve();
  if (entry.method !== 0 && entry.method !== 8) return Promise.reject(new ZipRefused("malformed", `compression method ${entry.method}`));
  return new Promise((resolve, reject) => {
    const input = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
    const output = entry.method === 8 ? input.pipe(createInflateRaw()) : input;
    let bytes = 0;
    const fail = (err: Error) => {
      input.destroy();
      output.destroy();
      reject(err);
    };
    output.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > entry.size) fail(new ZipRefused("lying", `${entry.name} inflates past its declared ${entry.size} bytes`));
    });
    output.on("error", (err: Error) => fail(err instanceof ZipRefused ? err : new ZipRefused("malformed", `${entry.name}: ${err.message}`)));
    input.on("error", fail);
    output.on("end", resolve);
  });
}

/**
 * Refuses (ZipRefused) a zip that declares more than `maxBytes` unpacked, that is malformed, or
 * whose entries unpack to more than they declare. Memory stays constant whatever the file holds.
 */
export async function checkZip(file: string, maxBytes: number): Promise<{ declaredBytes: number }> {
  const { entries, centralOffset } = await centralDirectory(file);
  const declaredBytes = entries.reduce((n, e) => n + e.size, 0);
  if (declaredBytes > maxBytes) throw new ZipRefused("too_big", `declares ${declaredBytes} bytes unpacked`);
  const starts = await dataOffsets(file, entries, centralOffset);
  for (const [i, e] of entries.entries()) await countEntry(file, e, starts[i]);
  return { declaredBytes };
}
