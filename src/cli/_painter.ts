/**
 * Repaints a full-screen frame without flicker: on the alternate screen,
 * only the lines that changed since the last frame are rewritten, in one
 * write. Escape sequences come from the ansi-escapes package.
 *
 * @module
 */

import ansiEscapes from "ansi-escapes";

/** Something frames can be written to. */
export interface FrameSink {
  write(text: string): unknown;
}

/** Draws successive frames on a terminal's alternate screen. */
export class Painter {
  #out: FrameSink;
  #previous: string[] = [];
  #open = false;

  /** A painter writing to `out`. */
  constructor(out: FrameSink) {
    this.#out = out;
  }

  /** Switches to the alternate screen and hides the cursor. */
  open(): void {
    if (this.#open) return;
    this.#open = true;
    this.#out.write(
      ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide +
        ansiEscapes.clearScreen,
    );
  }

  /** Draws `lines`, rewriting only those that differ from the last frame. */
  paint(lines: string[]): void {
    let text = "";
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === this.#previous[i]) continue;
      text += ansiEscapes.cursorTo(0, i) + lines[i] + ansiEscapes.eraseEndLine;
    }
    // A frame shorter than the last leaves old lines below: clear them.
    if (lines.length < this.#previous.length) {
      text += ansiEscapes.cursorTo(0, lines.length) + ansiEscapes.eraseDown;
    }
    this.#previous = lines;
    if (text) this.#out.write(text);
  }

  /** Forgets the last frame, so the next one is drawn in full (resize). */
  invalidate(): void {
    this.#previous = [];
    this.#out.write(ansiEscapes.clearScreen);
  }

  /** Leaves the alternate screen and shows the cursor again. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#out.write(ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen);
  }
}
