const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 80;

/** A one-line spinner on a stream; it writes nothing when disabled. */
export class Spinner {
  readonly #stream: NodeJS.WritableStream;
  readonly #enabled: boolean;
  #text = "";
  #frame = 0;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param stream - where it draws, usually stderr so stdout stays clean
   * @param enabled - draw at all; off for `--json` and when the stream is not a TTY
   */
  constructor(stream: NodeJS.WritableStream, enabled: boolean) {
    this.#stream = stream;
    this.#enabled = enabled;
  }

  /**
   * Starts spinning with a label.
   * @param text - what is being done, e.g. "Bundling src/index.ts"
   */
  start(text: string): void {
    this.#text = text;
    if (!this.#enabled || this.#timer) return;
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), FRAME_MS);
    // A spinner must never keep the process alive on its own.
    this.#timer.unref();
  }

  /**
   * Changes the label while spinning.
   * @param text - the new label
   */
  update(text: string): void {
    this.#text = text;
  }

  /**
   * Stops and clears the line, then prints `finalLine` if given.
   * @param finalLine - e.g. "✓ Bundled in 0.4 s"
   */
  stop(finalLine?: string): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (!this.#enabled) return;
    this.#stream.write("\r\u001B[2K");
    if (finalLine !== undefined) this.#stream.write(`${finalLine}\n`);
  }

  #draw(): void {
    this.#frame = (this.#frame + 1) % FRAMES.length;
    this.#stream.write(`\r\u001B[2K${FRAMES[this.#frame]} ${this.#text}`);
  }
}
