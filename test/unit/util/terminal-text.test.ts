// Container log lines lose every terminal control sequence before `up` prints them, and keep
// their text.
import { describe, expect, it } from 'vitest';
import { stripTerminalControls } from '../../../src/util/terminal-text.js';

describe('stripTerminalControls', () => {
  it.each([
    ['\u001b[31mred\u001b[0m text', 'red text'],
    ['title \u001b]0;owned\u0007 after', 'title  after'],
    ['link \u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\', 'link click'],
    ['clipboard \u001b]52;c;ZXZpbA==\u0007!', 'clipboard !'],
    ['cursor \u001b[2A\u001b[Khidden', 'cursor hidden'],
    ['c1 \u009b31mcsi', 'c1 csi'],
    ['bell\u0007 back\bspace cr\rnul\u0000', 'bell backspace crnul'],
    ['tab\tkept, unicode é ✓ kept', 'tab\tkept, unicode é ✓ kept'],
  ])('%j → %j', (input, output) => {
    expect(stripTerminalControls(input)).toBe(output);
  });
});
