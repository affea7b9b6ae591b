import { Worker } from 'node:worker_threads';

/**
 * Deflates record texts on a worker thread: compressing a 1,000-symbol delta against its
 * predecessor costs milliseconds (setting a 32 KiB dictionary alone is real work), which would
 * otherwise land on the poll tick. The worker is inline code, so it runs the same from sources
 * (tests) and from dist/.
 */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { deflateSync, constants } = require('node:zlib');
parentPort.on('message', ({ id, text, dictionary }) => {
  try {
    const options = { level: constants.Z_BEST_SPEED };
    if (dictionary !== null) {
      const d = Buffer.from(dictionary.buffer, dictionary.byteOffset, dictionary.length);
      options.dictionary = d.length > 32768 ? d.subarray(d.length - 32768) : d;
    }
    const bytes = deflateSync(Buffer.from(text.buffer, text.byteOffset, text.length), options);
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Enough of the dictionary's tail that its last 32 KiB of UTF-8 are whole. */
const DICTIONARY_CHARS = 40_000;
const encoder = new TextEncoder();

export class Compressor {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (b: Buffer) => void; reject: (e: Error) => void }
  >();

  /** `text` deflated (zlib format) with the last 32 KiB of `dictionary` as its dictionary. */
  deflate(text: string, dictionary: string | null): Promise<Buffer> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Encoded here and moved, not copied: structured-cloning a 150 KB string cost milliseconds.
      const bytes = encoder.encode(text);
      const dict = dictionary === null ? null : encoder.encode(dictionary.slice(-DICTIONARY_CHARS));
      const transfer = dict ? [bytes.buffer, dict.buffer] : [bytes.buffer];
      worker.postMessage({ id, text: bytes, dictionary: dict }, transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, { eval: true });
    worker.unref(); // never what keeps the process alive
    worker.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.bytes)
        waiting?.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length));
      else waiting?.reject(new Error(`replay compression failed: ${m.error}`));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('replay compression worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
