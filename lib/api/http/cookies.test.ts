import { expect, it } from "vitest";
import { readCookie } from "./cookies";

// [Cookie header, value of tg_session]
const rows: [string | null | undefined, string | undefined][] = [
  ["tg_session=abc.def", "abc.def"],
  ["theme=dark; tg_session=abc.def; other=1", "abc.def"],
  ["tg_session=a%2Eb", "a.b"],
  ["tg_session=a=b", "a=b"],
  ["tg_session=%E0%A4%A", undefined], // malformed percent-encoding is no cookie, not a 500
  ["tg_session=%", undefined],
  ["tg_sessionx=abc", undefined],
  ["tg_session", undefined],
  ["", undefined],
  [null, undefined],
  [undefined, undefined],
];
it.each(rows)("readCookie(%j)", (header, expected) => expect(readCookie(header, "tg_session")).toBe(expected));
