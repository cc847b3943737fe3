/**
 * Attribution lines: the line that introduces a quote and names who wrote it and when.
 * Seen in the archive:
 *   On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@kernel.org> wrote:     (Gmail)
 *   On Tue 22-09-20 08:54:25, Shakeel Butt wrote:                               (mutt, Michal)
 *   On Fri, Feb 01, 2019 at 08:17:57AM +0100, Michal Hocko wrote:               (mutt default)
 *   On 2020-09-09T14:57:52-07:00 Shakeel Butt <shakeelb@google.com> wrote:      (git-send-email style)
 *   On 12/1/23 10:13, Huan Yang wrote:                                          (Thunderbird)
 *   Shakeel Butt <shakeelb@google.com> writes:                                  (Gnus)
 *   Quoting Michal Hocko (2020-09-22 18:55:27):                                 (alot)
 *   Am Di., 22. Sept. 2020 um 18:55 Uhr schrieb Michal Hocko <…>:               (German Gmail)
 *   -----Original Message----- / From: X / Sent: …                              (Outlook)
 * The parsed form is used to place messages that have no threading headers (hypermail pages)
 * and to type segments.
 */

export interface Attribution {
  /** Name as written (may be empty when only an address is given). */
  name: string;
  addr: string | null;
  /** Date/time parts when the line has them; hour in 24-hour form. */
  when: {
    year?: number;
    month?: number;
    day?: number;
    hour?: number;
    minute?: number;
    second?: number;
  } | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Whether a line (or two joined lines) is an attribution line. */
export function isAttributionLine(line: string): boolean {
  const l = line.trim();
  if (l.length > 400) return false;
  return (
    /^On\b.{3,300}\b(wrote|writes|said):\s*$/i.test(l) ||
    /^.{2,200}\s(wrote|writes):\s*$/i.test(l) ||
    /^Quoting .{2,200}:\s*$/.test(l) ||
    /^Am\b.{3,300}\bschrieb\b.{1,200}:\s*$/.test(l) ||
    /^Le\b.{3,300}\ba écrit\s*:\s*$/.test(l) ||
    /^-{3,}\s*Original Message\s*-{3,}\s*$/i.test(l) ||
    /^\* .{2,200} <[^>]+> \[[^\]]+\]:\s*$/.test(l)
  );
}

/** Parse the name, address and time named by an attribution line, or null if it is not one. */
export function parseAttribution(line: string): Attribution | null {
  const l = line.trim().replace(/\s+/g, ' ');
  if (!isAttributionLine(l)) return null;
  const addrM = /<([^<>\s]+@[^<>\s]+)>/.exec(l);
  const addr = addrM ? addrM[1]!.toLowerCase() : null;
  let name = '';
  let when: Attribution['when'] = null;
  let m: RegExpExecArray | null;
  // "On <date>, Name <addr> wrote:" / "On <date> Name wrote:" — the name is what precedes the address
  // or "wrote", after the last comma of the date part.
  if ((m = /^On (.+?) (?:wrote|writes|said):$/i.exec(l))) {
    const inner = m[1]!.replace(/<[^>]*>/, '').trim();
    when = parseWhen(inner);
    name = nameAfterDate(inner);
  } else if ((m = /^Quoting (.+?) \((.+)\):$/.exec(l))) {
    name = m[1]!;
    when = parseWhen(m[2]!);
  } else if ((m = /^Am (.+?) schrieb (.+?):$/.exec(l))) {
    name = m[2]!.replace(/<[^>]*>/, '').trim();
    when = parseWhen(m[1]!);
  } else if ((m = /^(.+?) (?:wrote|writes):$/i.exec(l))) {
    name = m[1]!.replace(/<[^>]*>/, '').trim();
  }
  name = name
    .replace(/^<|>$/g, '')
    .replace(/^"|"$/g, '')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim();
  // "On …, xiaoggchen@xxxxxxxxxxx wrote:": the name is an address.
  const bare = addr === null && /^[^\s@<>]+@[^\s@<>]+$/.test(name) ? name.toLowerCase() : null;
  return { name, addr: addr ?? bare, when };
}

/** The name part of "Tue, Sep 22, 2020 at 9:55 AM Michal Hocko" or "Tue 22-09-20 08:54:25, Shakeel Butt". */
function nameAfterDate(s: string): string {
  // Gmail: "... AM Name" / "... PM Name"
  let m = /\b[AP]M\s+(.+)$/i.exec(s);
  if (m) return m[1]!.trim();
  // mutt, Thunderbird: "<date> at 07:55:15AM +0000, Yakunin, Dmitry (Nebius)", "3/27/24 1:26 AM, Tejun Heo":
  // the name is everything after the time (and its zone) and a comma; names may hold commas.
  m = /\d{1,2}:\d{2}(?::\d{2})?\s?(?:[AP]M)?(?:\s+(?:[+-]\d{4}|\(?[A-Z]{2,5}\)?))?,\s+(.+)$/i.exec(s);
  if (m) return m[1]!.trim();
  // Claws, Evolution, mutt: "Wed, 23 Apr 2025 17:01:46 -0700 Libo Chen", "… 11:50:48AM -0400 Joel Savitz"
  m = /\d{1,2}:\d{2}(?::\d{2})?\s?(?:[AP]M)?\s+[+-]\d{4}\s+(.+)$/i.exec(s);
  if (m) return m[1]!.trim();
  // The name follows the last comma.
  const i = s.lastIndexOf(',');
  if (i >= 0) return s.slice(i + 1).trim();
  // "2020-09-09T14:57:52-07:00 Shakeel Butt"
  m = /^\S*\d\S*\s+(.+)$/.exec(s);
  return m ? m[1]!.trim() : '';
}

function parseWhen(s: string): Attribution['when'] {
  const w: NonNullable<Attribution['when']> = {};
  let m: RegExpExecArray | null;
  if ((m = /(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(s))) {
    Object.assign(w, {
      year: +m[1]!,
      month: +m[2]!,
      day: +m[3]!,
      hour: +m[4]!,
      minute: +m[5]!,
      second: m[6] ? +m[6] : undefined,
    });
    return w;
  }
  // "Tue 22-09-20 08:54:25" (mutt, dd-mm-yy)
  if ((m = /\b(\d{1,2})-(\d{1,2})-(\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(s))) {
    Object.assign(w, {
      day: +m[1]!,
      month: +m[2]!,
      year: 2000 + +m[3]!,
      hour: +m[4]!,
      minute: +m[5]!,
      second: m[6] ? +m[6] : undefined,
    });
    return w;
  }
  // "Sep 22, 2020" / "22 Sep 2020" / "Feb 01, 2019"
  if ((m = /\b([A-Z][a-z]{2})[a-z]*\.? (\d{1,2}),? (\d{4})/.exec(s))) {
    const mon = MONTHS[m[1]!.toLowerCase()];
    if (mon) Object.assign(w, { month: mon, day: +m[2]!, year: +m[3]! });
  } else if ((m = /\b(\d{1,2})\.? ([A-Z][a-z]{2})[a-z]*\.? (\d{4})/.exec(s))) {
    const mon = MONTHS[m[2]!.toLowerCase()];
    if (mon) Object.assign(w, { month: mon, day: +m[1]!, year: +m[3]! });
  } else if ((m = /\b(\d{1,2})\/(\d{1,2})\/(\d{2,4})\b/.exec(s))) {
    // Thunderbird's m/d/yy is locale dependent; keep only the year.
    const y = +m[3]!;
    w.year = y < 100 ? 2000 + y : y;
  }
  if ((m = /\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?/i.exec(s))) {
    let h = +m[1]!;
    const ap = m[4]?.toUpperCase();
    if (ap === 'PM' && h < 12) h += 12;
    if (ap === 'AM' && h === 12) h = 0;
    w.hour = h;
    w.minute = +m[2]!;
    if (m[3]) w.second = +m[3];
  }
  return Object.keys(w).length ? w : null;
}
