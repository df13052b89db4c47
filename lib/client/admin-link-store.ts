// The admin link is in one answer only (POST /api/events). The home page keeps it in this tab's
// sessionStorage just long enough for the event page to show it once; it never goes into a URL,
// the history or localStorage.
const keyOf = (eventId: string) => `groupshot:admin-link:${eventId}`;

export function keepAdminLinkForDisplay(eventId: string, adminUrl: string): void {
  try {
    sessionStorage.setItem(keyOf(eventId), adminUrl);
  } catch {
    // storage disabled: the link cannot be shown after the navigation
  }
}

export function adminLinkToDisplay(eventId: string): string | null {
  try {
    return sessionStorage.getItem(keyOf(eventId));
  } catch {
    return null;
  }
}

export function forgetAdminLink(eventId: string): void {
  try {
    sessionStorage.removeItem(keyOf(eventId));
  } catch {
    // nothing to forget
  }
}
