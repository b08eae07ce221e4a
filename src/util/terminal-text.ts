// Text from containers made safe to print on a terminal: a container's log may carry escape
// sequences (colours, but also OSC 8 links, title changes, clipboard writes with OSC 52, cursor
// moves that overwrite earlier lines). `up` prints log lines as text only.

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), DCS/PM/APC/SOS strings, and two-byte ESC sequences. */
const ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u009b[0-?]*[ -/]*[@-~]|\u009d[\s\S]*?(?:\u0007|\u009c|$)|\u001b[ -~]?/g;
/** The remaining C0 and C1 controls, except tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Pure: the text without terminal control sequences or control characters. */
export function stripTerminalControls(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}
