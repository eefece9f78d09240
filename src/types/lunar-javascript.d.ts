// The small part of lunar-javascript (which ships no types) that partner-hub uses.
declare module "lunar-javascript" {
  interface Solar {
    getYear(): number;
    getMonth(): number;
    getDay(): number;
    toYmd(): string;
  }
  interface Lunar {
    getSolar(): Solar;
    getYear(): number;
    getMonth(): number;
    getDay(): number;
  }
  const LunarCalendar: {
    Lunar: { fromYmd(year: number, month: number, day: number): Lunar };
    Solar: { fromYmd(year: number, month: number, day: number): Solar & { getLunar(): Lunar } };
    /** month is negative for a leap month. */
    LunarMonth: { fromYm(year: number, month: number): { getDayCount(): number } };
    LunarYear: { fromYear(year: number): { getLeapMonth(): number } };
  };
  export default LunarCalendar;
}
