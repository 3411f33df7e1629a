/** Which calendar the user was looking at, kept in memory so "back to calendar" returns to it. */
export interface CalendarView {
  view: 'day' | 'week';
  /** Practice-local date (YYYY-MM-DD) the view shows or contains; null = today. */
  date: string | null;
  /** 'me', 'all', or a clinician's user id; null = the default for the user's roles. */
  who: string | null;
}

let remembered: CalendarView = { view: 'week', date: null, who: null };

export function rememberedCalendar(): CalendarView {
  return remembered;
}

export function rememberCalendar(v: CalendarView): void {
  remembered = v;
}

/** Opens the calendar on a date (after booking), keeping the chosen view. */
export function showOnCalendar(date: string, who: string | null): void {
  remembered = { ...remembered, date, who: who ?? remembered.who };
}
