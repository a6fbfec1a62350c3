/**
 * Text printed to a terminal comes partly from the diff (paths) and the model (findings). Escape sequences
 * in either could move the cursor, rewrite earlier lines or set the window title, so every control
 * character except line breaks and tabs is replaced before printing.
 */

// C0 controls except \t and \n, DEL, and the C1 range (0x80-0x9f, which includes the 8-bit CSI).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** `text` with control characters shown as `�`; `\r\n` line ends become `\n`. */
export function toTerminalText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL_CHARACTERS, '\uFFFD')
}

/** 12345 → "12,345". */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}
