// Terminal-like handling of carriage returns and backspaces in stream text.

/**
 * Applies `\r` (return to line start, later characters overwrite) and `\b` (erase
 * the previous character of the line) to `text`. A trailing `\r` is kept, so the
 * next chunk of the same stream still overwrites the line (progress bars).
 */
export function applyControlChars(text: string): string {
  if (!text.includes("\r") && !text.includes("\b")) return text;
  const lines = text.split("\n");
  const out = lines.map((line, i) => renderLine(line, i === lines.length - 1));
  return out.join("\n");
}

function renderLine(line: string, isLast: boolean): string {
  let buffer: string[] = [];
  let cursor = 0;
  let pendingReturn = false;
  for (const ch of line) {
    if (ch === "\r") {
      cursor = 0;
      pendingReturn = true;
      continue;
    }
    if (ch === "\b") {
      if (cursor > 0) {
        buffer.splice(cursor - 1, 1);
        cursor -= 1;
      }
      continue;
    }
    pendingReturn = false;
    buffer[cursor] = ch;
    cursor += 1;
  }
  let result = buffer.join("");
  // "\r\n" ends the line: the carriage return did nothing visible.
  if (pendingReturn && isLast) result += "\r";
  buffer = [];
  return result;
}

/** Appends a chunk to already-processed stream text; only the last line is redone. */
export function appendStream(previous: string, chunk: string): string {
  return appendStreamAt(previous, chunk).text;
}

/**
 * Like appendStream, and says from which index the text changed (`from`): everything
 * before it is unchanged and `added` follows it, so a view only redraws the rest. `pendingReturn` says whether
 * `previous` ends with a pending "\r" (returned as `returnPending` for the next call):
 * knowing it spares reading the end of a long concatenated string, which would copy it
 * whole. Plain chunks are then a bare concatenation, so a million lines stay linear.
 */
export function appendStreamAt(
  previous: string,
  chunk: string,
  pendingReturn: boolean = previous.endsWith("\r"),
): { text: string; from: number; added: string; returnPending: boolean } {
  if (!pendingReturn && !chunk.includes("\r") && !chunk.includes("\b")) {
    return { text: previous + chunk, from: previous.length, added: chunk, returnPending: false };
  }
  const cut = previous.lastIndexOf("\n") + 1;
  const lastLine = applyControlChars(previous.slice(cut) + chunk);
  return { text: previous.slice(0, cut) + lastLine, from: cut, added: lastLine, returnPending: lastLine.endsWith("\r") };
}
