/** Course sign-up codes people type or open from a link: `KH12` (khóa học 12). Pure. */

/** The prefix of every course code. */
export const COURSE_CODE_PREFIX = "KH";

/** The code for number `n`. */
export const courseCode = (n: number) => `${COURSE_CODE_PREFIX}${n}`;

/** A typed code in any usual form (`KH12`, `kh 12`, `Kh-12`) → `KH12`; null when it is not one. */
export function parseCourseCode(input: string): string | null {
  const m = /^kh[\s-]?(\d{1,6})$/i.exec(input.trim());
  return m ? courseCode(Number(m[1])) : null;
}

